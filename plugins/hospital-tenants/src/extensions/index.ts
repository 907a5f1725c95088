export * from './formFields';
