export * from './formFields';
export * from './translations';
