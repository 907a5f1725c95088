import { loadKamajiCrdSchemas } from './kamajiSchemas';
import { validateKubernetesObject } from './kubernetesSchemas';

/**
 * Validates one object of a tenant plan: Kamaji kinds against the real CRDs,
 * built-in kinds with kubernetes-models.
 *
 * @public
 */
export async function validateObject(object: {
  apiVersion: string;
  kind: string;
}) {
  return object.apiVersion.startsWith('kamaji.clastix.io/')
    ? loadKamajiCrdSchemas().validate(object)
    : validateKubernetesObject(object);
}
