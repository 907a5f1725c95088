/**
 * Test-only validators (a private package, used as a devDependency): where
 * the Kamaji CRDs are found, validators built from them, and the built-in
 * Kubernetes kinds' OpenAPI schemas from kubernetes-models 5.
 *
 * @packageDocumentation
 */

export * from './kamajiCrdDir';
export * from './kamajiSchemas';
export * from './kubernetesSchemas';
export * from './validateObject';
