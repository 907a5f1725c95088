export * from './formFields';
export * from './entity';
