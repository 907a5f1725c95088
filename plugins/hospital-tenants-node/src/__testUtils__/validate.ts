import { loadKamajiCrdSchemas } from '../schema/kamajiSchemas';
import { validateKubernetesObject } from '../schema/kubernetesSchemas';
import { KubernetesObject } from '../plan/types';

/** Kamaji kinds against the real CRDs, built-in kinds with kubernetes-models. */
export async function validateObject(object: KubernetesObject) {
  return object.apiVersion.startsWith('kamaji.clastix.io/')
    ? loadKamajiCrdSchemas().validate(object)
    : validateKubernetesObject(object);
}
