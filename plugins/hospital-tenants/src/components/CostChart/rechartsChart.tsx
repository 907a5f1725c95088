import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useTheme } from '@material-ui/core/styles';
import type { CostChartDrawingProps } from './types';

/**
 * The drawing itself, with recharts. Loaded only when a chart is shown
 * (`React.lazy` in `CostChart`): recharts stays out of the initial bundle.
 */
export default function RechartsChart(props: CostChartDrawingProps) {
  const { kind, points, format, reference, height = 200 } = props;
  const theme = useTheme();
  const color = theme.palette.primary.main;
  const data = points.map(p => ({ label: p.label, value: p.value }));
  const axis = {
    tick: { fontSize: 11, fill: theme.palette.text.secondary },
  };
  const compact = (n: number) => format(n).replace(/[,.]00$/, '');
  const common = (
    <>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      {/* bars: every label (few); lines: as many as fit */}
      <XAxis
        dataKey="label"
        {...axis}
        interval={kind === 'bar' ? 0 : 'preserveEnd'}
        minTickGap={12}
      />
      <YAxis {...axis} width={90} tickFormatter={compact} />
      <Tooltip formatter={value => format(Number(value))} />
      {reference && (
        <ReferenceLine
          y={reference.value}
          stroke={theme.palette.secondary.main}
          strokeDasharray="4 4"
          label={{
            value: reference.label,
            position: 'insideTopRight',
            ...axis,
          }}
        />
      )}
    </>
  );
  return (
    <ResponsiveContainer width="100%" height={height}>
      {kind === 'line' ? (
        <LineChart data={data}>
          {common}
          <Line
            type="monotone"
            dataKey="value"
            stroke={color}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      ) : (
        <BarChart data={data}>
          {common}
          <Bar dataKey="value" fill={color} isAnimationActive={false} />
        </BarChart>
      )}
    </ResponsiveContainer>
  );
}
