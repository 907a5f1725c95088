export { SlaVerdictChip } from './SlaVerdictChip';
export { SlaVerdictCell, SlaVerdictHeaderCell } from './SlaVerdictColumn';
export { useSlaVerdicts } from './useSlaVerdicts';
