export * from './formFields';
export * from './tenantCostCard';
