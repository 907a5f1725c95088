import { HospitalTenantsConfigInput } from '../config';

/** A complete configuration used by the tests of this package. */
export const exampleConfigInput: HospitalTenantsConfigInput = {
  kubernetesVersions: {
    supported: ['v1.34.9', 'v1.35.7'],
    default: 'v1.35.7',
  },
  dataStores: {
    'postgresql-gold': {
      driver: 'PostgreSQL',
      network: {
        namespace: 'postgres-system',
        podLabels: { 'cnpg.io/cluster': 'postgres-gold' },
        port: 5432,
      },
    },
    'etcd-shared': {
      driver: 'etcd',
      network: { namespace: 'kamaji-etcd', port: 2379 },
    },
    'cloudsql-primary': {
      driver: 'PostgreSQL',
      network: { cidrs: ['10.2.0.5/32'], port: 5432 },
    },
  },
  regions: {
    'southamerica-east1': {
      displayName: 'São Paulo',
      environments: {
        production: {
          workerCidrs: ['10.1.0.0/16'],
          dataStores: ['postgresql-gold', 'cloudsql-primary', 'etcd-shared'],
          oidc: {
            issuerUrl: 'https://accounts.google.com',
            clientId: 'prontuario-tenants',
            egressCidrs: ['142.250.0.0/15'],
          },
        },
        staging: {
          workerCidrs: ['10.11.0.0/16'],
          dataStores: ['etcd-shared'],
        },
      },
    },
  },
  pricing: {
    vcpuMonthBrl: 270,
    memoryGibMonthBrl: 30,
    storageGibMonthBrl: 0.92,
    sharedPlatformShare: 0.1,
  },
  approvedExternalApis: {
    defaultCidrs: ['200.160.0.0/20'],
    ports: [443],
  },
  network: {
    platformCidrs: ['10.0.0.0/24', '10.2.0.0/24'],
    management: {
      nodeCidrs: ['10.0.0.0/24'],
      podCidrs: ['10.4.0.0/14'],
    },
  },
};
