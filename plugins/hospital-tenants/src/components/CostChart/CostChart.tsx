import { Progress } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { makeStyles } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { lazy, ReactNode, Suspense, useId, useState } from 'react';
import { tenantCostTranslationRef } from '../TenantCostCard/translation';
import type { CostChartDrawingProps, CostChartPoint } from './types';

// recharts loads with the first chart shown, never with the app
const RechartsChart = lazy(() => import('./rechartsChart'));

const useStyles = makeStyles({
  // the table stays readable by screen readers while the chart is shown
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    padding: 0,
    margin: -1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: 0,
  },
});

/** A cost chart and the same data as a table. */
export interface CostChartProps extends CostChartDrawingProps {
  /** the chart's name (the table's caption) */
  title: string;
  labelHeader: string;
  valueHeader: string;
  /** more cells per row, after the amount (e.g. a budget status) */
  extra?: {
    header: string;
    cell: (point: CostChartPoint, index: number) => ReactNode;
  };
  /** the table's rows newest first */
  reverseTable?: boolean;
  /** the table's height when shown (scrolls) */
  tableMaxHeight?: number;
}

/**
 * A chart (lazy recharts) with its table alternative: the table is always
 * in the page for assistive technology and shown instead of the chart with
 * the "Show as table" toggle.
 */
export function CostChart(props: CostChartProps) {
  const {
    title,
    labelHeader,
    valueHeader,
    extra,
    reverseTable,
    tableMaxHeight,
    ...drawing
  } = props;
  const { t } = useTranslationRef(tenantCostTranslationRef);
  const classes = useStyles();
  const [asTable, setAsTable] = useState(false);
  const tableId = useId();
  const rows = drawing.points.map((point, index) => ({ point, index }));
  if (reverseTable) rows.reverse();
  return (
    <Box position="relative">
      <Box display="flex" justifyContent="flex-end">
        <Button
          size="small"
          aria-pressed={asTable}
          aria-controls={tableId}
          onClick={() => setAsTable(!asTable)}
        >
          {asTable ? t('charts.showChart') : t('charts.showTable')}
        </Button>
      </Box>
      {!asTable && (
        <Box aria-hidden data-testid="cost-chart">
          <Suspense fallback={<Progress />}>
            <RechartsChart {...drawing} />
          </Suspense>
        </Box>
      )}
      <Box
        id={tableId}
        className={asTable ? undefined : classes.visuallyHidden}
        maxHeight={asTable ? tableMaxHeight : undefined}
        overflow={asTable && tableMaxHeight ? 'auto' : undefined}
      >
        <Table size="small" aria-label={title}>
          <TableHead>
            <TableRow>
              <TableCell>{labelHeader}</TableCell>
              <TableCell align="right">{valueHeader}</TableCell>
              {extra && <TableCell>{extra.header}</TableCell>}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(({ point, index }) => (
              <TableRow key={point.label}>
                <TableCell>{point.label}</TableCell>
                <TableCell align="right">
                  {drawing.format(point.value)}
                </TableCell>
                {extra && <TableCell>{extra.cell(point, index)}</TableCell>}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </Box>
  );
}
