export * from './formFields';
export * from './entity';
export * from './search';
export * from './tenantCostCard';
export * from './costDashboardPage';
