export { default } from './module';
export { isMemberOf } from './isMemberOf';
