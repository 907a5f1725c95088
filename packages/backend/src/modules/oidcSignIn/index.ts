export { authModuleOidcSignIn as default } from './module';
