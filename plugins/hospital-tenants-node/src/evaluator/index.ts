export * from './PlanEvaluator';
