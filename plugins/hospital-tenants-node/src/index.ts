/**
 * Node.js library for the hospital-tenants plugin: the pure plan builders for
 * both layers of a tenant, the plan evaluator, the permission rules and the
 * management/tenant cluster client with its service refs.
 *
 * @packageDocumentation
 */

export * from './plan';
export * from './config/readHospitalTenantsConfig';
export * from './evaluator';
export * from './cluster';
export * from './permissions';
export * from './services';
export * from './util';
