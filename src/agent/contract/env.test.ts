// The environment a container gets, as a table: each valueFrom kind, envFrom with prefixes and invalid names,
// $(VAR) expansion, the service-link variables, and the kubelet's errors for missing sources.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SandboxEvent } from '../driver.js';
import { LaunchError } from '../lifecycle/runtime.js';
import { expand, resolveEnv } from './env.js';
import { fakeReader, sandboxPod, service } from './testing.js';

const objects = {
  configMaps: { app: { mode: 'fast', level: '3', 'bad=key': 'x' } },
  secrets: { creds: { password: 's3cret' } },
  services: [
    service('default', 'kubernetes', '10.100.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]),
    service('shop', 'redis-primary', '10.100.7.9', [{ port: 6379 }]),
    service('shop', 'headless', 'None', [{ port: 80 }]),
    service('other', 'elsewhere', '10.100.8.8', [{ port: 80 }]),
  ],
  allocatable: { cpu: '2', memory: '4Gi' },
};

async function envOf(container: any, podSpec: any = {}, events: SandboxEvent[] = []) {
  const pod = sandboxPod({ ...podSpec, containers: [container] }, { labels: { app: 'web' } });
  const reader = fakeReader(objects);
  const env = await resolveEnv(pod, container, {
    reader,
    allocatable: async () => objects.allocatable,
    emit: (e) => events.push(e),
  });
  return Object.fromEntries(env.map((e) => [e.key, e.value]));
}

describe('resolveEnv', () => {
  const table: [string, any, Record<string, string>][] = [
    ['value', { name: 'A', value: 'x' }, { A: 'x' }],
    ['configMapKeyRef', { name: 'M', valueFrom: { configMapKeyRef: { name: 'app', key: 'mode' } } }, { M: 'fast' }],
    ['secretKeyRef', { name: 'P', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } }, { P: 's3cret' }],
    ['fieldRef name', { name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { N: 'web' }],
    ['fieldRef label', { name: 'L', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } }, { L: 'web' }],
    ['fieldRef podIP', { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }, { IP: '10.0.1.7' }],
    ['fieldRef node', { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }, { NODE: 'node-a' }],
    ['fieldRef sa', { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } }, { SA: '' }],
    [
      'resourceFieldRef limit with divisor',
      { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { MEM: '256' },
    ],
    [
      'resourceFieldRef cpu in millicores',
      { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
      { CPU: '250' },
    ],
    [
      'resourceFieldRef cpu limit defaults to allocatable, rounded up',
      { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      { CPU: '2' },
    ],
    [
      'optional missing key',
      { name: 'O', valueFrom: { configMapKeyRef: { name: 'app', key: 'nope', optional: true } } },
      {},
    ],
    [
      'optional missing configmap',
      { name: 'O', valueFrom: { configMapKeyRef: { name: 'gone', key: 'k', optional: true } } },
      {},
    ],
  ];
  for (const [title, entry, expected] of table) {
    it(title, async () => {
      const env = await envOf({
        name: 'c',
        image: 'i',
        env: [entry],
        resources: { requests: { cpu: '250m' }, limits: { memory: '256Mi' } },
      });
      for (const [k, v] of Object.entries(expected)) assert.equal(env[k], v, k);
      if (!Object.keys(expected).length) assert.equal(env.O, undefined);
    });
  }

  const failures: [string, any, string][] = [
    ['missing configmap', { configMapKeyRef: { name: 'x', key: 'k' } }, 'configmap "x" not found'],
    [
      'missing configmap key',
      { configMapKeyRef: { name: 'app', key: 'k' } },
      "couldn't find key k in ConfigMap shop/app",
    ],
    ['missing secret', { secretKeyRef: { name: 'x', key: 'k' } }, 'secret "x" not found'],
    ['missing secret key', { secretKeyRef: { name: 'creds', key: 'k' } }, "couldn't find key k in Secret shop/creds"],
  ];
  for (const [title, valueFrom, message] of failures) {
    it(`${title}: CreateContainerConfigError`, async () => {
      await assert.rejects(envOf({ name: 'c', image: 'i', env: [{ name: 'X', valueFrom }] }), (error: LaunchError) => {
        assert.ok(error instanceof LaunchError);
        assert.equal(error.reason, 'CreateContainerConfigError');
        assert.equal(error.message, message);
        assert.deepEqual(error.failedEvent, { type: 'Warning', reason: 'Failed', message: `Error: ${message}` });
        return true;
      });
    });
  }

  it('envFrom with a prefix, skipping invalid names with the kubelet event', async () => {
    const events: SandboxEvent[] = [];
    const env = await envOf(
      {
        name: 'c',
        image: 'i',
        envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'app' } }, { secretRef: { name: 'creds' } }],
        env: [{ name: 'CFG_mode', value: 'override' }],
      },
      {},
      events,
    );
    assert.equal(env.CFG_mode, 'override');
    assert.equal(env.CFG_level, '3');
    assert.equal(env.password, 's3cret');
    assert.equal(env['CFG_bad=key'], undefined);
    assert.deepEqual(events, [
      {
        type: 'Warning',
        reason: 'InvalidEnvironmentVariableNames',
        message:
          'Keys [CFG_bad=key] from the EnvFrom configMap shop/app were skipped since they are considered invalid environment variable names.',
      },
    ]);
  });

  it('envFrom of a missing non-optional ConfigMap fails; optional is skipped', async () => {
    await assert.rejects(envOf({ name: 'c', image: 'i', envFrom: [{ configMapRef: { name: 'gone' } }] }), {
      message: 'configmap "gone" not found',
    });
    const env = await envOf({ name: 'c', image: 'i', envFrom: [{ secretRef: { name: 'gone', optional: true } }] });
    assert.equal(env.KUBERNETES_SERVICE_HOST, '10.100.0.1');
  });

  it('service links for the namespace and the kubernetes Service, Docker link variables', async () => {
    const env = await envOf({ name: 'c', image: 'i' });
    assert.equal(env.KUBERNETES_SERVICE_HOST, '10.100.0.1');
    assert.equal(env.KUBERNETES_SERVICE_PORT, '443');
    assert.equal(env.KUBERNETES_SERVICE_PORT_HTTPS, '443');
    assert.equal(env.KUBERNETES_PORT, 'tcp://10.100.0.1:443');
    assert.equal(env.KUBERNETES_PORT_443_TCP, 'tcp://10.100.0.1:443');
    assert.equal(env.KUBERNETES_PORT_443_TCP_PROTO, 'tcp');
    assert.equal(env.KUBERNETES_PORT_443_TCP_PORT, '443');
    assert.equal(env.KUBERNETES_PORT_443_TCP_ADDR, '10.100.0.1');
    assert.equal(env.REDIS_PRIMARY_SERVICE_HOST, '10.100.7.9');
    assert.equal(env.REDIS_PRIMARY_PORT_6379_TCP, 'tcp://10.100.7.9:6379');
    assert.equal(env.HEADLESS_SERVICE_HOST, undefined);
    assert.equal(env.ELSEWHERE_SERVICE_HOST, undefined);
    const off = await envOf({ name: 'c', image: 'i' }, { enableServiceLinks: false });
    assert.equal(off.REDIS_PRIMARY_SERVICE_HOST, undefined);
    assert.equal(off.KUBERNETES_SERVICE_HOST, '10.100.0.1');
  });

  it('expands $(VAR) from earlier variables and service links', async () => {
    const env = await envOf({
      name: 'c',
      image: 'i',
      env: [
        { name: 'A', value: 'one' },
        { name: 'B', value: '$(A)-$(REDIS_PRIMARY_SERVICE_HOST)-$(NOPE)-$$(A)' },
      ],
    });
    assert.equal(env.B, 'one-10.100.7.9-$(NOPE)-$(A)');
    assert.equal(
      expand('$(X)$', () => 'y'),
      'y$',
    );
  });
});
