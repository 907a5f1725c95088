export * from './formFields';
export * from './tenantCostCard';
export * from './costDashboardPage';
