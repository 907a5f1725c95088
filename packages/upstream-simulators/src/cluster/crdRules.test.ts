/*
 * The Kamaji CRDs' own CEL rules, evaluated by the CEL library: the
 * simulator refuses what kube-apiserver refuses, with the CRD's message,
 * and transition rules run only on UPDATE with an old value.
 */
import Ajv from 'ajv';
import { kamajiCrdDir } from '@prontuario/tenant-schema-validators';
import { DEFAULT_DATASTORES } from './simulator';
import { CrdSchemaValidator, loadCrdValidators } from './validation';

type Obj = Record<string, any>;

const validators = loadCrdValidators(kamajiCrdDir());
const tcpValidator = validators.get(
  'kamaji.clastix.io/v1alpha1/TenantControlPlane',
)!;
const dataStoreValidator = validators.get(
  'kamaji.clastix.io/v1alpha1/DataStore',
)!;

const tcp = (spec: Obj = {}): Obj => ({
  apiVersion: 'kamaji.clastix.io/v1alpha1',
  kind: 'TenantControlPlane',
  metadata: { name: 'cel', namespace: 'tenant-cel' },
  spec: {
    dataStore: 'postgresql-gold',
    controlPlane: {
      deployment: { replicas: 2 },
      service: { serviceType: 'LoadBalancer' },
    },
    kubernetes: { version: 'v1.35.7', kubelet: {} },
    networkProfile: { port: 6443 },
    addons: {},
    ...spec,
  },
});

const postgres = structuredClone(
  DEFAULT_DATASTORES.find(d => d.spec.driver === 'PostgreSQL')!,
);

const causesOf = (v: CrdSchemaValidator, obj: Obj, old?: Obj) =>
  v.validate(obj, old).causes;

describe("the Kamaji CRDs' CEL rules", () => {
  it('compiles every rule the CRDs ship (28), none translated by hand', () => {
    expect(
      tcpValidator.celRules.length + dataStoreValidator.celRules.length,
    ).toBe(28);
    expect(tcpValidator.celRules).toContainEqual({
      path: 'spec.networkProfile.loadBalancerSourceRanges',
      rule: 'self.all(r, isCIDR(r))',
    });
  });

  it('accepts a valid TenantControlPlane and DataStore', () => {
    expect(causesOf(tcpValidator, tcp())).toEqual([]);
    expect(causesOf(dataStoreValidator, postgres)).toEqual([]);
  });

  it('refuses source ranges without a LoadBalancer Service (a rule on spec)', () => {
    const obj = tcp();
    obj.spec.controlPlane.service.serviceType = 'ClusterIP';
    obj.spec.networkProfile.loadBalancerSourceRanges = ['10.0.0.0/8'];
    expect(causesOf(tcpValidator, obj)).toEqual([
      {
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "object": LoadBalancer source ranges are supported only with LoadBalancer service type',
        field: 'spec',
      },
    ]);
  });

  it('checks addresses and prefixes with isIP and isCIDR', () => {
    const obj = tcp();
    obj.spec.networkProfile.advertiseAddress = '10.0.0.300';
    obj.spec.networkProfile.loadBalancerSourceRanges = [
      '10.0.0.0/8',
      '10.0.0.0/33',
    ];
    obj.spec.networkProfile.podCidr = 'not-a-cidr';
    expect(causesOf(tcpValidator, obj)).toEqual(
      expect.arrayContaining([
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "string": advertiseAddress must be a valid IP address',
          field: 'spec.networkProfile.advertiseAddress',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "array": all LoadBalancer source range entries must be valid CIDR',
          field: 'spec.networkProfile.loadBalancerSourceRanges',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "string": podCidr must be empty or a valid CIDR',
          field: 'spec.networkProfile.podCidr',
        },
      ]),
    );
    obj.spec.networkProfile.advertiseAddress = '192.168.1.10';
    obj.spec.networkProfile.loadBalancerSourceRanges = ['fd00::/8'];
    obj.spec.networkProfile.podCidr = '';
    expect(causesOf(tcpValidator, obj)).toEqual([]);
  });

  it('refuses replicas that contradict the deployment mode', () => {
    const obj = tcp();
    obj.spec.addons = {
      konnectivity: { agent: { mode: 'DaemonSet', replicas: 2 } },
    };
    expect(causesOf(tcpValidator, obj)).toEqual([
      expect.objectContaining({
        reason: 'FieldValueInvalid',
        field: 'spec.addons.konnectivity.agent',
        message: expect.stringContaining(
          'replicas must be 0 (or unset) when mode is DaemonSet',
        ),
      }),
    ]);
  });

  it('refuses a non-etcd DataStore with neither TLS nor basic auth', () => {
    const obj = structuredClone(postgres);
    delete obj.spec.basicAuth;
    delete obj.spec.tlsConfig;
    expect(causesOf(dataStoreValidator, obj)).toContainEqual({
      reason: 'FieldValueInvalid',
      message:
        'Invalid value: "object": When driver is not etcd, either tlsConfig or basicAuth must be provided',
      field: 'spec',
    });
  });

  it('reports an evaluation error the way the API server does', () => {
    // an etcd DataStore without tlsConfig: `self.tlsConfig != null` reads a missing key
    const obj = structuredClone(DEFAULT_DATASTORES[0]);
    delete obj.spec.tlsConfig;
    expect(causesOf(dataStoreValidator, obj)).toContainEqual({
      reason: 'FieldValueInvalid',
      message:
        'Invalid value: "object": no such key: tlsConfig evaluating rule: certificateAuthority privateKey must have secretReference or content when driver is etcd',
      field: 'spec',
    });
  });

  describe('transition rules (oldSelf)', () => {
    it('run on UPDATE: the DataStore driver is immutable', () => {
      const changed = structuredClone(postgres);
      changed.spec.driver = 'MySQL';
      const causes = causesOf(dataStoreValidator, changed, postgres);
      expect(causes).toContainEqual({
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "object": driver is immutable and cannot be changed after creation',
        field: 'spec',
      });
      expect(causes).toContainEqual({
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "string": Datastore driver is immutable',
        field: 'spec.driver',
      });
      // the same object is valid as a CREATE: no old value, no transition rule
      expect(causesOf(dataStoreValidator, changed)).toEqual([]);
    });

    it('run only where the old value exists: unsetting the dataStore', () => {
      const { dataStore: _dropped, ...spec } = tcp().spec;
      const without = tcp();
      without.spec = spec;
      // CREATE without a dataStore: allowed (Kamaji's webhook defaults it)
      expect(causesOf(tcpValidator, without)).toEqual([]);
      // UPDATE that removes it: refused
      expect(causesOf(tcpValidator, without, tcp())).toEqual([
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "object": unsetting the dataStore is not supported',
          field: 'spec',
        },
      ]);
      // UPDATE from an object that never had one: allowed
      expect(causesOf(tcpValidator, without, without)).toEqual([]);
    });

    it('compare with the stored value: the LoadBalancerClass cannot be set at runtime', () => {
      const set = tcp();
      set.spec.networkProfile.loadBalancerClass = 'internal';
      expect(causesOf(tcpValidator, set)).toEqual([]);
      expect(causesOf(tcpValidator, set, tcp())).toContainEqual({
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "object": LoadBalancerClass cannot be set or unset at runtime',
        field: 'spec',
      });
    });
  });
});

describe('CrdSchemaValidator with rules written for this test', () => {
  const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: true });
  const schema = (validations: Obj[]): Obj => ({
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          min: { type: 'integer' },
          max: { type: 'integer' },
          tags: { type: 'array', items: { type: 'string' } },
        },
        'x-kubernetes-validations': validations,
      },
    },
  });
  const obj = (spec: Obj) => ({ apiVersion: 'x/v1', kind: 'X', spec });

  it('uses messageExpression, fieldPath and reason', () => {
    const v = new CrdSchemaValidator(
      ajv,
      schema([
        {
          rule: 'self.min <= self.max',
          messageExpression:
            "'min ' + string(self.min) + ' exceeds max ' + string(self.max)",
          fieldPath: '.min',
          reason: 'FieldValueForbidden',
        },
        {
          rule: 'self.tags.exists(t, t == "required")',
          reason: 'FieldValueRequired',
          message: 'a "required" tag is needed',
        },
        { rule: 'size(self.tags) <= 2 ? true : false' },
      ]),
    );
    expect(
      v.validate(obj({ min: 1, max: 2, tags: ['required'] }), undefined).causes,
    ).toEqual([]);
    expect(
      v.validate(obj({ min: 3, max: 2, tags: ['a', 'b', 'c'] }), undefined)
        .causes,
    ).toEqual([
      {
        reason: 'FieldValueForbidden',
        message: 'Forbidden: min 3 exceeds max 2',
        field: 'spec.min',
      },
      {
        reason: 'FieldValueRequired',
        message: 'Required value: a "required" tag is needed',
        field: 'spec',
      },
      {
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "object": failed rule: size(self.tags) <= 2 ? true : false',
        field: 'spec',
      },
    ]);
  });

  it('refuses at load a rule that does not compile or calls an unknown function', () => {
    expect(
      () => new CrdSchemaValidator(ajv, schema([{ rule: 'self.min <=' }])),
    ).toThrow(/The CEL rule "self.min <=" at spec does not compile/);
    expect(
      () =>
        new CrdSchemaValidator(ajv, schema([{ rule: 'isHostname(self.min)' }])),
    ).toThrow(/undeclared reference to 'isHostname'/);
    expect(
      () =>
        new CrdSchemaValidator(
          ajv,
          schema([{ rule: 'oldSelf.hasValue()', optionalOldSelf: true }]),
        ),
    ).toThrow(/optionalOldSelf, which the simulator does not support/);
  });
});
