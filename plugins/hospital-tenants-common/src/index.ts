/**
 * Common functionalities for the hospital-tenants plugin: the tenant spec,
 * permissions, annotation and label keys, the sizing and cost model.
 *
 * @packageDocumentation
 */

export {};
