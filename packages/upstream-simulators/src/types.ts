/**
 * A Kubernetes object as the simulators store and serve it: parsed JSON.
 *
 * @public
 */
export type KubeObject = Record<string, any>;
