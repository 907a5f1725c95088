export * from './formFields';
export * from './entity';
export * from './search';
