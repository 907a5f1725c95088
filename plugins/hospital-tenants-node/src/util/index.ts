export * from './pollUntil';
