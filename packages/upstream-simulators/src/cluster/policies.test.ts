/*
 * ValidatingAdmissionPolicies evaluated with the CEL library: deploy/'s own
 * policies, and the parts of the API the portal's policies do not use yet
 * (variables, request, oldObject, messageExpression, failurePolicy).
 */
import { ClusterSimulator, startClusterSimulator } from './simulator';
import { applyAs } from './testUtils';

// the first simulator of a process compiles Kamaji's schema; CI machines are slow
jest.setTimeout(60_000);

type Obj = Record<string, any>;

const NS = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});

const configMap = (name: string, data: Obj, labels: Obj = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'cel-policies', labels },
  data,
});

describe('ValidatingAdmissionPolicies', () => {
  let sim: ClusterSimulator;

  beforeAll(async () => {
    sim = await startClusterSimulator({ readyDelayMs: 100 });
    await applyAs(sim, 'admin', NS('cel-policies'), 'test');
    await applyAs(sim, 'admin', NS('tenant-vap'), 'test');
  });

  afterAll(async () => {
    await sim?.stop();
  });

  it("refuses what deploy/'s policy refuses, with the policy's message", async () => {
    // no resourceNames: has(object.rules[0].resourceNames) is false
    const res = await applyAs(
      sim,
      'admin',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: {
          name: 'hospital-tenants-provisioner-kubeconfig',
          namespace: 'tenant-vap',
        },
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
      },
      'test',
    );
    expect(res.status).toBe(403);
    expect(res.body.reason).toBe('Forbidden');
    expect(res.body.message).toBe(
      'roles.rbac.authorization.k8s.io "hospital-tenants-provisioner-kubeconfig" is forbidden: ' +
        "ValidatingAdmissionPolicy 'hospital-tenants-provisioner-kubeconfig-role' with binding " +
        "'hospital-tenants-provisioner-kubeconfig-role' denied request: the Role " +
        'hospital-tenants-provisioner-kubeconfig may only grant get on the Secret ' +
        '<slug>-admin-kubeconfig in namespace tenant-<slug>',
    );
    // the exact grant is admitted
    const exact = await applyAs(
      sim,
      'admin',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: {
          name: 'hospital-tenants-provisioner-kubeconfig',
          namespace: 'tenant-vap',
        },
        rules: [
          {
            apiGroups: [''],
            resources: ['secrets'],
            verbs: ['get'],
            resourceNames: ['vap-admin-kubeconfig'],
          },
        ],
      },
      'test',
    );
    expect(exact.status).toBe(201);
  });

  it('evaluates variables, request, oldObject and messageExpression', async () => {
    const policy = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'mode-is-immutable' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['configmaps'],
            },
          ],
        },
        matchConditions: [
          {
            name: 'labelled',
            expression:
              "has(object.metadata.labels) && 'cel-test' in object.metadata.labels",
          },
        ],
        variables: [{ name: 'mode', expression: 'object.data.mode' }],
        validations: [
          {
            expression:
              "request.operation == 'CREATE' || oldObject.data.mode == variables.mode",
            messageExpression:
              "'mode is immutable: ' + oldObject.data.mode + ' -> ' + variables.mode",
            reason: 'Invalid',
          },
          {
            expression: "variables.mode in ['fast', 'safe']",
            message: 'mode must be fast or safe',
          },
        ],
      },
    };
    const binding = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'mode-is-immutable' },
      spec: { policyName: 'mode-is-immutable', validationActions: ['Deny'] },
    };
    expect((await applyAs(sim, 'admin', policy, 'test')).status).toBe(201);
    expect((await applyAs(sim, 'admin', binding, 'test')).status).toBe(201);

    const labels = { 'cel-test': 'yes' };
    const created = await applyAs(
      sim,
      'admin',
      configMap('cm', { mode: 'fast' }, labels),
      'test',
    );
    expect(created.status).toBe(201);
    const changed = await applyAs(
      sim,
      'admin',
      configMap('cm', { mode: 'safe' }, labels),
      'test',
    );
    expect(changed.status).toBe(422);
    expect(changed.body.message).toMatch(
      /denied request: mode is immutable: fast -> safe$/,
    );
    const unknown = await applyAs(
      sim,
      'admin',
      configMap('other', { mode: 'turbo' }, labels),
      'test',
    );
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toMatch(
      /denied request: mode must be fast or safe$/,
    );
    // failurePolicy Fail: an expression that errors (no `mode` key) denies
    const broken = await applyAs(
      sim,
      'admin',
      configMap('broken', { other: 'x' }, labels),
      'test',
    );
    expect(broken.status).toBe(422);
    expect(broken.body.message).toContain('no such key: mode');
    // the match condition leaves unlabelled ConfigMaps alone
    const free = await applyAs(
      sim,
      'admin',
      configMap('free', { mode: 'turbo' }),
      'test',
    );
    expect(free.status).toBe(201);
  });

  it('refuses a policy whose expression does not compile', async () => {
    const res = await applyAs(
      sim,
      'admin',
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: 'broken' },
        spec: {
          matchConstraints: {
            resourceRules: [
              {
                apiGroups: [''],
                apiVersions: ['v1'],
                operations: ['CREATE'],
                resources: ['configmaps'],
              },
            ],
          },
          validations: [{ expression: 'isHostname(object.metadata.name)' }],
        },
      },
      'test',
    );
    expect(res.status).toBe(422);
    expect(res.body.message).toContain(
      'spec.validations[0].expression: Invalid value: "isHostname(object.metadata.name)": compilation failed: undeclared reference to \'isHostname\'',
    );
  });

  it('gives policies request.userInfo, namespaceObject, DELETE requests and map-valued variables', async () => {
    const policy = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'cel-inputs' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE', 'DELETE'],
              resources: ['configmaps'],
            },
          ],
        },
        matchConditions: [
          {
            name: 'marked',
            expression:
              "(object != null ? object : oldObject).metadata.name.startsWith('inputs-')",
          },
        ],
        variables: [
          {
            name: 'labels',
            expression:
              'has(namespaceObject.metadata.labels) ? namespaceObject.metadata.labels : {}',
          },
        ],
        validations: [
          {
            expression:
              "request.userInfo.username != 'kubernetes-admin' || !('locked' in variables.labels)",
            messageExpression:
              "'namespace locked for ' + request.userInfo.username + ' (' + request.operation + ')'",
          },
        ],
      },
    };
    const binding = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'cel-inputs' },
      spec: { policyName: 'cel-inputs', validationActions: ['Deny'] },
    };
    expect((await applyAs(sim, 'admin', policy, 'test')).status).toBe(201);
    expect((await applyAs(sim, 'admin', binding, 'test')).status).toBe(201);
    // unlocked namespace: accepted
    const first = await applyAs(
      sim,
      'admin',
      configMap('inputs-a', { mode: 'fixed', a: '1' }),
      'test',
    );
    expect([first.status, first.body.message]).toEqual([201, undefined]);
    // the namespace's labels reach the policy through namespaceObject
    await applyAs(
      sim,
      'admin',
      {
        ...NS('cel-policies'),
        metadata: { name: 'cel-policies', labels: { locked: 'yes' } },
      },
      'test',
    );
    const update = await applyAs(
      sim,
      'admin',
      configMap('inputs-a', { mode: 'fixed', a: '2' }),
      'test',
    );
    expect(update.status).toBe(422);
    expect(update.body.message).toContain(
      'namespace locked for kubernetes-admin (UPDATE)',
    );
    // DELETE: object is null, oldObject is the stored one
    expect(() =>
      sim.management.delete(
        '',
        'configmaps',
        'cel-policies',
        'inputs-a',
        sim.users.admin,
      ),
    ).toThrow('namespace locked for kubernetes-admin (DELETE)');
    // another user is let through by the same rule
    sim.management.delete('', 'configmaps', 'cel-policies', 'inputs-a', {
      name: 'someone-else',
      groups: ['system:masters', 'system:authenticated'],
    });
    expect(
      sim.management.get('', 'configmaps', 'cel-policies', 'inputs-a'),
    ).toBeUndefined();
    sim.management.delete(
      'admissionregistration.k8s.io',
      'validatingadmissionpolicybindings',
      undefined,
      'cel-inputs',
    );
    await applyAs(sim, 'admin', NS('cel-policies'), 'test');
  });
});
