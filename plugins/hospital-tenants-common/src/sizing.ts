import { ResourceSize } from './quantity';

/**
 * The DataStore drivers Kamaji supports; every driver but etcd runs a kine
 * container (and its `chmod` init container) in each control-plane pod.
 *
 * @public
 */
export type DataStoreDriver = 'etcd' | 'MySQL' | 'PostgreSQL' | 'NATS';

/**
 * The control-plane size classes, smallest first.
 *
 * @public
 */
export const SIZING_TIERS = [
  'small',
  'medium',
  'large',
  'xlarge',
  '2xlarge',
  '3xlarge',
] as const;

/** @public */
export type SizingTier = (typeof SIZING_TIERS)[number];

interface TierDefinition {
  tier: SizingTier;
  maxUsers: number;
  maxDepartments: number;
  replicas: number;
  apiServer: ResourceSize;
  controllerManager: ResourceSize;
  scheduler: ResourceSize;
  konnectivityServer: ResourceSize;
  kine: ResourceSize;
}

const size = (cpuMillicores: number, memoryMebibytes: number) => ({
  cpuMillicores,
  memoryMebibytes,
});

/**
 * The control-plane tiers. "medium" is the brief's Real Hospital Português
 * reference (2 replicas, apiServer 500m/1Gi, controllerManager 200m/512Mi,
 * scheduler 100m/256Mi). A tenant gets the larger of the tier its daily
 * users and the tier its departments call for.
 */
const TIERS: readonly TierDefinition[] = [
  {
    tier: 'small',
    maxUsers: 150,
    maxDepartments: 3,
    replicas: 2,
    apiServer: size(250, 512),
    controllerManager: size(100, 256),
    scheduler: size(50, 128),
    konnectivityServer: size(100, 128),
    kine: size(100, 128),
  },
  {
    tier: 'medium',
    maxUsers: 300,
    maxDepartments: 6,
    replicas: 2,
    apiServer: size(500, 1024),
    controllerManager: size(200, 512),
    scheduler: size(100, 256),
    konnectivityServer: size(200, 256),
    kine: size(250, 256),
  },
  {
    tier: 'large',
    maxUsers: 750,
    maxDepartments: 12,
    replicas: 3,
    apiServer: size(1000, 2048),
    controllerManager: size(400, 1024),
    scheduler: size(200, 512),
    konnectivityServer: size(400, 512),
    kine: size(500, 512),
  },
  {
    tier: 'xlarge',
    maxUsers: 2000,
    maxDepartments: 25,
    replicas: 3,
    apiServer: size(2000, 4096),
    controllerManager: size(750, 2048),
    scheduler: size(250, 1024),
    konnectivityServer: size(500, 1024),
    kine: size(1000, 1024),
  },
  {
    tier: '2xlarge',
    maxUsers: 10000,
    maxDepartments: 40,
    replicas: 3,
    apiServer: size(4000, 8192),
    controllerManager: size(1500, 3072),
    scheduler: size(500, 1024),
    konnectivityServer: size(1000, 2048),
    kine: size(2000, 2048),
  },
  {
    tier: '3xlarge',
    maxUsers: Number.POSITIVE_INFINITY,
    maxDepartments: Number.POSITIVE_INFINITY,
    replicas: 3,
    apiServer: size(8000, 16384),
    controllerManager: size(3000, 6144),
    scheduler: size(1000, 2048),
    konnectivityServer: size(2000, 4096),
    kine: size(4000, 4096),
  },
];

/**
 * The GKE Autopilot rules (general-purpose compute class) every sized pod
 * respects; limits always equal requests.
 *
 * @public
 */
export const AUTOPILOT_RULES = {
  /** Pod CPU is a multiple of this (the strictest Autopilot rounding). */
  podCpuStepMillicores: 250,
  /** Smallest pod Autopilot accepts without raising it. */
  minPod: { cpuMillicores: 250, memoryMebibytes: 512 },
  /** Memory:CPU ratio per pod, in GiB per vCPU. */
  minMemoryGibPerVcpu: 1,
  maxMemoryGibPerVcpu: 6.5,
  /** Largest general-purpose pod. */
  maxPod: { cpuMillicores: 30000, memoryMebibytes: 110 * 1024 },
} as const;

/**
 * Kamaji's rolling update surges to twice the replicas (maxSurge 100 %,
 * maxUnavailable 0).
 *
 * @public
 */
export const SURGE_FACTOR = 2;

/**
 * Objects Kamaji creates in a tenant's management namespace, counted for the
 * quota before the surge factor: one Service of type LoadBalancer with two
 * ports (API 6443, konnectivity 8132), about fourteen Secrets (certificates,
 * kubeconfigs, DataStore config) rounded up to 16, and three ConfigMaps
 * (kubeadm config, konnectivity egress selector, kube-root-ca.crt) rounded up
 * to 4.
 *
 * @public
 */
export const KAMAJI_OBJECTS = {
  services: 1,
  loadBalancers: 1,
  nodePortsPerService: 2,
  secrets: 16,
  configMaps: 4,
} as const;

/** Per-container defaults and bounds of the management LimitRange. @public */
export const MANAGEMENT_CONTAINER_DEFAULT = size(50, 64);
/** @public */
export const MANAGEMENT_CONTAINER_MIN = size(50, 64);

/** Per-container defaults and bounds of department LimitRanges. @public */
export const DEPARTMENT_CONTAINER_DEFAULT = size(250, 512);
/** @public */
export const DEPARTMENT_CONTAINER_MIN = size(50, 64);
/** @public */
export const DEPARTMENT_CONTAINER_MAX = size(4000, 16384);
/** @public */
export const DEPARTMENT_PVC_MIN_GIB = 1;
/** @public */
export const DEPARTMENT_PVC_MAX_GIB = 100;

/**
 * The sizing of one tenant.
 *
 * @public
 */
export interface TenantSizing {
  tier: SizingTier;
  controlPlane: {
    replicas: number;
    apiServer: ResourceSize;
    controllerManager: ResourceSize;
    scheduler: ResourceSize;
    konnectivityServer: ResourceSize;
    /** Present when the DataStore driver is not etcd. */
    kine?: ResourceSize;
    /** Kamaji's `chmod` init container (kine with TLS); unsized by Kamaji, so it gets the LimitRange default. */
    initContainer?: ResourceSize;
    /** Sum of the containers of one pod (what Autopilot bills and the quota counts). */
    pod: ResourceSize;
  };
  management: {
    quota: {
      cpuMillicores: number;
      memoryMebibytes: number;
      pods: number;
      services: number;
      loadBalancers: number;
      nodePorts: number;
      secrets: number;
      configMaps: number;
      persistentVolumeClaims: number;
    };
    limitRange: {
      containerMin: ResourceSize;
      containerMax: ResourceSize;
      containerDefault: ResourceSize;
      podMax: ResourceSize;
    };
  };
  department: {
    count: number;
    usersPerDepartment: number;
    quota: {
      cpuMillicores: number;
      memoryMebibytes: number;
      pods: number;
      services: number;
      persistentVolumeClaims: number;
      storageGibibytes: number;
      configMaps: number;
      secrets: number;
    };
    limitRange: {
      containerMin: ResourceSize;
      containerMax: ResourceSize;
      containerDefault: ResourceSize;
      pvcMinGibibytes: number;
      pvcMaxGibibytes: number;
    };
  };
  /** Totals: control plane at its steady replicas, tenant layer at full quota. */
  totals: {
    controlPlane: ResourceSize;
    tenantLayer: ResourceSize & { storageGibibytes: number };
  };
}

/**
 * Inputs of the sizing model.
 *
 * @public
 */
export interface SizingInput {
  dailyUsers: number;
  departments: number;
  dataStoreDriver: DataStoreDriver;
}

const roundUp = (value: number, step: number) => Math.ceil(value / step) * step;

const sum = (sizes: ResourceSize[]): ResourceSize =>
  sizes.reduce(
    (acc, s) => ({
      cpuMillicores: acc.cpuMillicores + s.cpuMillicores,
      memoryMebibytes: acc.memoryMebibytes + s.memoryMebibytes,
    }),
    size(0, 0),
  );

/**
 * The control-plane tier for a number of daily users and departments:
 * the larger of the two tiers each calls for.
 *
 * @public
 */
export function selectSizingTier(
  dailyUsers: number,
  departments: number,
): SizingTier {
  const byUsers = TIERS.findIndex(t => dailyUsers <= t.maxUsers);
  const byDepartments = TIERS.findIndex(t => departments <= t.maxDepartments);
  return TIERS[Math.max(byUsers, byDepartments)].tier;
}

/**
 * The sizing model: daily users and departments → control-plane replicas and
 * per-component resources, the management quota and LimitRange, and each
 * department's quota and LimitRange. Pure and monotonic in users.
 *
 * @public
 */
export function computeTenantSizing(input: SizingInput): TenantSizing {
  const { dailyUsers, departments, dataStoreDriver } = input;
  if (!Number.isInteger(dailyUsers) || dailyUsers < 1) {
    throw new Error(
      `dailyUsers must be a positive whole number, got ${dailyUsers}`,
    );
  }
  if (!Number.isInteger(departments) || departments < 1) {
    throw new Error(
      `departments must be a positive whole number, got ${departments}`,
    );
  }
  const tierName = selectSizingTier(dailyUsers, departments);
  const tier = TIERS.find(t => t.tier === tierName)!;
  const kine = dataStoreDriver === 'etcd' ? undefined : { ...tier.kine };
  const initContainer = kine ? { ...MANAGEMENT_CONTAINER_DEFAULT } : undefined;

  // The konnectivity server absorbs the rounding Autopilot needs: pod CPU
  // to a 250m step, and at least 1 GiB memory per vCPU.
  const konnectivityServer = { ...tier.konnectivityServer };
  const fixed = [tier.apiServer, tier.controllerManager, tier.scheduler];
  if (kine) {
    fixed.push(kine);
  }
  let pod = sum([...fixed, konnectivityServer]);
  const paddedCpu = Math.max(
    roundUp(pod.cpuMillicores, AUTOPILOT_RULES.podCpuStepMillicores),
    AUTOPILOT_RULES.minPod.cpuMillicores,
  );
  konnectivityServer.cpuMillicores += paddedCpu - pod.cpuMillicores;
  pod = sum([...fixed, konnectivityServer]);
  const minMemory = Math.max(
    Math.ceil(
      (pod.cpuMillicores / 1000) * 1024 * AUTOPILOT_RULES.minMemoryGibPerVcpu,
    ),
    AUTOPILOT_RULES.minPod.memoryMebibytes,
  );
  if (pod.memoryMebibytes < minMemory) {
    konnectivityServer.memoryMebibytes += minMemory - pod.memoryMebibytes;
    pod = sum([...fixed, konnectivityServer]);
  }

  const containers = [...fixed, konnectivityServer];
  const effectivePod: ResourceSize = {
    cpuMillicores: Math.max(
      pod.cpuMillicores,
      initContainer?.cpuMillicores ?? 0,
    ),
    memoryMebibytes: Math.max(
      pod.memoryMebibytes,
      initContainer?.memoryMebibytes ?? 0,
    ),
  };
  const surgePods = tier.replicas * SURGE_FACTOR;

  const usersPerDepartment = Math.ceil(dailyUsers / departments);
  const deptCpu = roundUp(1000 + 120 * usersPerDepartment, 250);
  const deptMemory = (deptCpu / 1000) * 4096;
  const deptStorage = 20 + usersPerDepartment;

  return {
    tier: tier.tier,
    controlPlane: {
      replicas: tier.replicas,
      apiServer: { ...tier.apiServer },
      controllerManager: { ...tier.controllerManager },
      scheduler: { ...tier.scheduler },
      konnectivityServer,
      ...(kine ? { kine, initContainer } : {}),
      pod,
    },
    management: {
      quota: {
        cpuMillicores: surgePods * effectivePod.cpuMillicores,
        memoryMebibytes: surgePods * effectivePod.memoryMebibytes,
        pods: surgePods,
        services: KAMAJI_OBJECTS.services * SURGE_FACTOR,
        loadBalancers: KAMAJI_OBJECTS.loadBalancers * SURGE_FACTOR,
        nodePorts:
          KAMAJI_OBJECTS.services *
          KAMAJI_OBJECTS.nodePortsPerService *
          SURGE_FACTOR,
        secrets: KAMAJI_OBJECTS.secrets * SURGE_FACTOR,
        configMaps: KAMAJI_OBJECTS.configMaps * SURGE_FACTOR,
        persistentVolumeClaims: 0,
      },
      limitRange: {
        containerMin: { ...MANAGEMENT_CONTAINER_MIN },
        containerMax: {
          cpuMillicores: Math.max(...containers.map(c => c.cpuMillicores)),
          memoryMebibytes: Math.max(...containers.map(c => c.memoryMebibytes)),
        },
        containerDefault: { ...MANAGEMENT_CONTAINER_DEFAULT },
        podMax: effectivePod,
      },
    },
    department: {
      count: departments,
      usersPerDepartment,
      quota: {
        cpuMillicores: deptCpu,
        memoryMebibytes: deptMemory,
        pods: 20 + Math.ceil(usersPerDepartment / 5),
        services: 10 + Math.ceil(usersPerDepartment / 50),
        persistentVolumeClaims: 10 + Math.ceil(usersPerDepartment / 50),
        storageGibibytes: deptStorage,
        configMaps: 50,
        secrets: 50,
      },
      limitRange: {
        containerMin: { ...DEPARTMENT_CONTAINER_MIN },
        containerMax: {
          cpuMillicores: Math.min(
            deptCpu,
            DEPARTMENT_CONTAINER_MAX.cpuMillicores,
          ),
          memoryMebibytes: Math.min(
            deptMemory,
            DEPARTMENT_CONTAINER_MAX.memoryMebibytes,
          ),
        },
        containerDefault: { ...DEPARTMENT_CONTAINER_DEFAULT },
        pvcMinGibibytes: DEPARTMENT_PVC_MIN_GIB,
        pvcMaxGibibytes: Math.min(deptStorage, DEPARTMENT_PVC_MAX_GIB),
      },
    },
    totals: {
      controlPlane: {
        cpuMillicores: tier.replicas * pod.cpuMillicores,
        memoryMebibytes: tier.replicas * pod.memoryMebibytes,
      },
      tenantLayer: {
        cpuMillicores: departments * deptCpu,
        memoryMebibytes: departments * deptMemory,
        storageGibibytes: departments * deptStorage,
      },
    },
  };
}
