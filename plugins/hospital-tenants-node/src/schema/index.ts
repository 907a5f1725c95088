export * from './kamajiSchemas';
export * from './kubernetesSchemas';
