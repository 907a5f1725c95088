/**
 * Common functionalities for the hospital-tenants plugin: the tenant spec,
 * permissions, annotation and label keys, the sizing and cost model. Browser
 * safe: no Node.js imports.
 *
 * @packageDocumentation
 */

export * from './constants';
export * from './permissions';
export * from './cidr';
export * from './quantity';
export * from './names';
export * from './config';
export * from './spec';
export * from './sizing';
export * from './cost';
export * from './api';
export * from './search';
export * from './costApi';
export * from './sla';
