import { KubernetesObject } from '@prontuario/plugin-hospital-tenants-node';

/** Annotation naming the scaffolder task that created an object. */
export const CREATED_BY_TASK_ANNOTATION = 'hospital-tenants.io/created-by-task';

/** `Kind namespace/name`, the stable description of an object. */
export function describeObject(o: {
  kind: string;
  metadata: { name: string; namespace?: string };
}): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${
    o.metadata.name
  }`;
}

/** A deterministic checkpoint key part of an object. */
export function objectKey(o: KubernetesObject): string {
  return `${o.kind}.${o.metadata.namespace ?? '_'}.${o.metadata.name}`;
}
