export { portalTranslationRef } from './portalTranslationRef';
export { translationsModule } from './module';
