/**
 * Node.js library for the hospital-tenants plugin: the pure plan builders for
 * both layers of a tenant, the Kamaji CRD schema validation and the
 * management/tenant cluster client.
 *
 * @packageDocumentation
 */

export * from './plan';
export * from './schema';
export * from './config/readHospitalTenantsConfig';
export * from './evaluator';
export * from './cluster';
export * from './permissions';
export * from './services';
