// The sandbox side of the pod contract without a runtime: volumes written under the pod's directory (configMap
// items and modes, secret, downwardAPI, projected with a token), a refresh after a ConfigMap change, FailedMount
// for a missing ConfigMap and for an unsupported volume; container mounts (subPath, read-only, /etc/hosts); the
// hosts file and DNS per dnsPolicy.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SandboxSetupError } from '../lifecycle/runtime.js';
import { PodContract, unenforcedSizeLimits } from './contract.js';
import { podDnsConfig } from './dns.js';
import { etcHostsContent, podHostname } from './hosts.js';
import type { TokenRequestSpec } from './reader.js';
import { type FakeObjects, fakeReader, sandboxPod } from './testing.js';

const root = mkdtempSync(join(tmpdir(), 'skiff-contract-'));
after(() => rmSync(root, { recursive: true, force: true }));

const container = {
  name: 'main',
  image: 'busybox',
  resources: { limits: { cpu: '250m' } },
  volumeMounts: [
    { name: 'cm', mountPath: '/cm' },
    { name: 'cm', mountPath: '/one', subPath: 'a' },
    { name: 'scratch', mountPath: '/scratch' },
    { name: 'all', mountPath: '/all', readOnly: true },
  ],
};

const volumes = [
  {
    name: 'cm',
    configMap: {
      name: 'app',
      items: [
        { key: 'a', path: 'a', mode: 0o600 },
        { key: 'b', path: 'dir/b' },
      ],
    },
  },
  { name: 'scratch', emptyDir: {} },
  {
    name: 'all',
    projected: {
      defaultMode: 0o440,
      sources: [
        { secret: { name: 'creds' } },
        {
          downwardAPI: {
            items: [
              { path: 'cpu', resourceFieldRef: { containerName: 'main', resource: 'limits.cpu', divisor: '1m' } },
            ],
          },
        },
        { serviceAccountToken: { path: 'token', audience: 'vault', expirationSeconds: 600 } },
      ],
    },
  },
];

function contractWith(objects: FakeObjects, tokens: TokenRequestSpec[] = []) {
  return new PodContract({
    reader: fakeReader(objects, tokens),
    sandboxesDir: join(root, String(Math.random())),
    refreshMs: 60_000,
  });
}

describe('PodContract', () => {
  it('writes volumes, mounts them, and refreshes them', async () => {
    const objects: FakeObjects = { configMaps: { app: { a: 'A1', b: 'B1' } }, secrets: { creds: { pw: 'x' } } };
    const tokens: TokenRequestSpec[] = [];
    const contract = contractWith(objects, tokens);
    const pod = sandboxPod({ containers: [container], volumes, serviceAccountName: 'robot' });
    const setup = await contract.setUpSandbox(pod);
    assert.equal(setup.hostname, 'web');
    const { mounts } = await contract.setUpContainer(pod, container);
    const byPath = Object.fromEntries(mounts.map((m) => [m.containerPath, m]));
    const cmDir = byPath['/cm']!.hostPath;
    assert.match(cmDir, /\/uid-1\/volumes\/kubernetes\.io~configmap\/cm$/);
    assert.equal(byPath['/cm']!.readonly, true);
    assert.equal(byPath['/scratch']!.readonly, false);
    assert.match(byPath['/scratch']!.hostPath, /kubernetes\.io~empty-dir\/scratch$/);
    assert.equal(statSync(byPath['/scratch']!.hostPath).mode & 0o777, 0o777);
    assert.equal(readFileSync(join(cmDir, 'a'), 'utf8'), 'A1');
    assert.equal(readFileSync(join(cmDir, 'dir/b'), 'utf8'), 'B1');
    assert.equal(statSync(join(cmDir, 'a')).mode & 0o777, 0o600);
    assert.match(byPath['/one']!.hostPath, /\.\.\d{4}_.*\/a$/, 'subPath resolves to the file itself');
    assert.ok(byPath['/etc/hosts']);
    const all = byPath['/all']!.hostPath;
    assert.equal(readFileSync(join(all, 'pw'), 'utf8'), 'x');
    assert.equal(readFileSync(join(all, 'cpu'), 'utf8'), '250');
    assert.equal(readFileSync(join(all, 'token'), 'utf8'), 'token-robot-1');
    assert.equal(statSync(join(all, 'token')).mode & 0o777, 0o440);
    assert.deepEqual(tokens, [{ audiences: ['vault'], expirationSeconds: 600, pod: { name: 'web', uid: 'uid-1' } }]);

    objects.configMaps!.app!.a = 'A2';
    await contract.refresh();
    assert.equal(readFileSync(join(cmDir, 'a'), 'utf8'), 'A2');
    // The subPath mount was bound to the old file itself (the container keeps it; the e2e test sees that).
    assert.equal(tokens.length, 1, 'the token is not yet due for refresh');
    await contract.tearDown(pod);
    assert.throws(() => statSync(cmDir));
  });

  it('expands subPathExpr from the container env into a directory of the volume', async () => {
    const contract = contractWith({});
    const main = {
      name: 'main',
      image: 'busybox',
      env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      volumeMounts: [{ name: 'logs', mountPath: '/logs', subPathExpr: 'pods/$(POD)' }],
    };
    const pod = sandboxPod({ containers: [main], volumes: [{ name: 'logs', emptyDir: {} }] }, { uid: 'uid-3' });
    await contract.setUpSandbox(pod);
    const { mounts } = await contract.setUpContainer(pod, main);
    const logs = mounts.find((m) => m.containerPath === '/logs')!;
    assert.match(logs.hostPath, /kubernetes\.io~empty-dir\/logs\/pods\/web$/);
    assert.ok(statSync(logs.hostPath).isDirectory());
    await contract.tearDown(pod);
  });

  it('refuses a missing ConfigMap and an unsupported volume with FailedMount', async () => {
    const contract = contractWith({});
    const missing = sandboxPod({ containers: [container], volumes: [{ name: 'cm', configMap: { name: 'app' } }] });
    await assert.rejects(contract.setUpSandbox(missing), (error: SandboxSetupError) => {
      assert.ok(error instanceof SandboxSetupError);
      assert.deepEqual(error.event, {
        type: 'Warning',
        reason: 'FailedMount',
        message: 'MountVolume.SetUp failed for volume "cm" : configmap "app" not found',
      });
      return true;
    });
    const optional = sandboxPod({
      containers: [],
      volumes: [{ name: 'cm', configMap: { name: 'app', optional: true } }],
    });
    await contract.setUpSandbox(optional);
    const nfs = sandboxPod(
      {
        containers: [],
        volumes: [
          { name: 'share', nfs: { server: 's', path: '/' } },
          { name: 'tmp', emptyDir: {} },
        ],
      },
      { uid: 'uid-2' },
    );
    await assert.rejects(contract.setUpSandbox(nfs), (error: SandboxSetupError) => {
      assert.equal(error.event.reason, 'FailedMount');
      assert.equal(
        error.event.message,
        'Unable to attach or mount volumes: unmounted volumes=[share], unattached volumes=[share tmp]: failed to process volumes=[share]: no volume plugin matched for volume "share" of type nfs',
      );
      return true;
    });
  });
});

describe('hosts and DNS', () => {
  it('writes the kubelet-managed hosts file', () => {
    const pod = sandboxPod({ hostname: 'h', subdomain: 'sd', hostAliases: [{ ip: '1.2.3.4', hostnames: ['a', 'b'] }] });
    assert.equal(
      etcHostsContent(pod),
      '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' +
        'fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
        '10.0.1.7\th.sd.shop.svc.cluster.local\th\n\n# Entries added by HostAliases.\n1.2.3.4\ta\tb\n',
    );
  });

  it('names the pod by hostname, pod name, or FQDN', () => {
    assert.equal(podHostname(sandboxPod({})), 'web');
    assert.equal(podHostname(sandboxPod({}, { name: `${'a'.repeat(62)}-b` })), 'a'.repeat(62));
    assert.equal(podHostname(sandboxPod({ hostname: 'h', subdomain: 'sd' })), 'h');
    assert.equal(
      podHostname(sandboxPod({ hostname: 'h', subdomain: 'sd', setHostnameAsFQDN: true })),
      'h.sd.shop.svc.cluster.local',
    );
    assert.equal(podHostname(sandboxPod({ hostNetwork: true })), '');
  });

  it('follows dnsPolicy and merges dnsConfig', () => {
    const host = { servers: ['192.168.0.1'], searches: ['corp.example'], options: ['edns0'] };
    assert.deepEqual(podDnsConfig(sandboxPod({}), '10.100.0.10', host), {
      servers: ['10.100.0.10'],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'],
      options: ['ndots:5'],
    });
    assert.deepEqual(podDnsConfig(sandboxPod({ dnsPolicy: 'Default' }), '10.100.0.10', host), host);
    assert.deepEqual(podDnsConfig(sandboxPod({ hostNetwork: true }), '10.100.0.10', host), host);
    assert.deepEqual(
      podDnsConfig(
        sandboxPod({
          dnsPolicy: 'None',
          dnsConfig: {
            nameservers: ['1.1.1.1'],
            searches: ['x.y'],
            options: [{ name: 'ndots', value: '2' }, { name: 'rotate' }],
          },
        }),
        '10.100.0.10',
        host,
      ),
      { servers: ['1.1.1.1'], searches: ['x.y'], options: ['ndots:2', 'rotate'] },
    );
    assert.deepEqual(
      podDnsConfig(sandboxPod({ dnsConfig: { options: [{ name: 'ndots', value: '1' }] } }), '10.100.0.10', host)
        .options,
      ['ndots:1'],
    );
  });
});

it('says, for each disk emptyDir with a sizeLimit, that the limit is not enforced; a memory one is', () => {
  const events = unenforcedSizeLimits(
    sandboxPod({
      containers: [{ name: 'main', image: 'busybox' }],
      volumes: [
        { name: 'disk', emptyDir: { sizeLimit: '1Gi' } },
        { name: 'ram', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
        { name: 'plain', emptyDir: {} },
      ],
    }),
  );
  assert.deepEqual(events, [
    {
      type: 'Warning',
      reason: 'SizeLimitNotEnforced',
      message: 'emptyDir volume "disk": sizeLimit 1Gi on disk is not enforced (no eviction on this node)',
    },
  ]);
});
