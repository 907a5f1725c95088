export { spec } from './router';
