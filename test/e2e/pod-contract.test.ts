// The pod contract on `skiff up --runtime process`, seen from inside a busybox pod through `kubectl logs`: env from
// ConfigMaps, Secrets, the downward API and service links; configMap, secret, downwardAPI, projected, emptyDir
// (disk and memory) and subPath volumes with their modes; the default ServiceAccount token the kube API accepts
// (and refuses once the pod is gone); /etc/hosts, hostname and resolv.conf; a ConfigMap change reaching the
// mounted file but not the subPath one. A missing ConfigMap gives CreateContainerConfigError and the kubelet's
// event, an unsupported volume FailedMount and a pod that never starts; `kubectl create token` works.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeBusyboxImage } from '../../src/agent/engine/testing/busybox-image.js';
import { type Walkthrough, walkthrough } from './harness/cluster.js';
import { noMkdirProfile, seccompScript } from './harness/seccomp.js';
import { run, type SkiffProcess, startSkiff } from './harness/skiff.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/bin/containerd');
const image = 'import.skiff.local/e2e/busybox:contract';
let skiff: SkiffProcess;
let w: Walkthrough;

function apiGet(path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, skiff.kubeEndpoint),
      { ca: skiff.caCert, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function apply(manifest: unknown) {
  const out = await skiff.kubectl(['apply', '-f', '-'], JSON.stringify(manifest));
  assert.equal(out.code, 0, out.stderr);
}

async function logs(pod: string): Promise<string> {
  return (await skiff.kubectl(['logs', pod])).stdout;
}

/** The block of a log between `== name ==` and the next marker. */
function section(log: string, name: string): string {
  const start = log.indexOf(`== ${name} ==\n`);
  if (start < 0) return '';
  const rest = log.slice(start + name.length + 7);
  const end = rest.indexOf('== ');
  return end < 0 ? rest : rest.slice(0, end);
}

const script = [
  'echo "== env =="; env',
  'echo "== cm =="; cat /cm/key; echo',
  'echo "== secret =="; cat /secret/password; echo; busybox stat -L -c %a /secret/password',
  'echo "== downward =="; cat /downward/labels; echo; cat /downward/name; echo; cat /downward/cpu; echo',
  'echo "== projected =="; cat /projected/mode; echo; cat /projected/vault-token | busybox wc -c',
  'echo "== sa =="; cat /var/run/secrets/kubernetes.io/serviceaccount/namespace; echo; cat /var/run/secrets/kubernetes.io/serviceaccount/token; echo',
  'echo "== ca =="; cat /var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
  'echo "== mounts =="; busybox grep -E " /(mem|scratch|cm|secret) " /proc/mounts',
  'echo "== writable =="; echo hi > /scratch/f && cat /scratch/f; echo x > /cm/new 2>&1 || echo read-only',
  'echo "== hosts =="; cat /etc/hosts',
  'echo "== resolv =="; cat /etc/resolv.conf',
  'echo "== hostname =="; hostname',
  'echo "== live =="',
  'while true; do echo "LIVE $(cat /cm/key) $(cat /sub/key) $(busybox tr \'\\n\' , < /downward/labels)"; sleep 1; done',
].join('; ');

describe('the pod contract on the process runtime', { skip: !canRun && 'needs root and containerd' }, () => {
  before(async () => {
    skiff = await startSkiff(['--runtime', 'process']);
    const layout = join(skiff.dataDir, 'busybox-layout');
    writeBusyboxImage(layout, image);
    await skiff.importImage(layout);
    w = await walkthrough(skiff);
    await w.nodegroup('ng', 1);
  });
  after(async () => {
    await skiff?.stop();
  });

  it('gives a container its env, volumes, token, hosts and DNS, and keeps volumes current', async () => {
    await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app' }, data: { key: 'v1', mode: 'fast' } });
    await apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { password: 's3cret' } });
    await apply({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web-front' },
      spec: { selector: { app: 'none' }, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
    });
    await apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'contract', labels: { app: 'contract', tier: 'back' } },
      spec: {
        hostname: 'h1',
        subdomain: 'sd',
        hostAliases: [{ ip: '10.9.9.9', hostnames: ['alias.one', 'alias.two'] }],
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'main',
            image,
            imagePullPolicy: 'Never',
            command: ['sh', '-c', script],
            resources: { limits: { cpu: '500m', memory: '64Mi' } },
            env: [
              { name: 'CM_KEY', valueFrom: { configMapKeyRef: { name: 'app', key: 'key' } } },
              { name: 'SECRET_PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
              { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k', optional: true } } },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
              { name: 'EXPANDED', value: '$(POD_NAME)-$(CM_KEY)' },
            ],
            envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'app' } }],
            volumeMounts: [
              { name: 'cm', mountPath: '/cm' },
              { name: 'cm', mountPath: '/sub/key', subPath: 'key' },
              { name: 'secret', mountPath: '/secret' },
              { name: 'downward', mountPath: '/downward' },
              { name: 'projected', mountPath: '/projected' },
              { name: 'scratch', mountPath: '/scratch' },
              { name: 'mem', mountPath: '/mem' },
            ],
          },
        ],
        volumes: [
          { name: 'cm', configMap: { name: 'app' } },
          { name: 'secret', secret: { secretName: 'creds', defaultMode: 0o400 } },
          {
            name: 'downward',
            downwardAPI: {
              items: [
                { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
                { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
                { path: 'cpu', resourceFieldRef: { containerName: 'main', resource: 'limits.cpu', divisor: '1m' } },
              ],
            },
          },
          {
            name: 'projected',
            projected: {
              sources: [
                { configMap: { name: 'app', items: [{ key: 'mode', path: 'mode' }] } },
                { serviceAccountToken: { audience: 'vault', expirationSeconds: 600, path: 'vault-token' } },
              ],
            },
          },
          { name: 'scratch', emptyDir: {} },
          { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
        ],
      },
    });
    const log = await w.waitFor(
      async () => {
        const text = await logs('contract');
        return text.includes('LIVE') && text;
      },
      'the contract pod to print its view',
      120_000,
    );
    const pod = (await w.pods('default', 'app=contract'))[0];
    const env = Object.fromEntries(
      section(log, 'env')
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    assert.equal(env.CM_KEY, 'v1');
    assert.equal(env.SECRET_PW, 's3cret');
    assert.equal(env.OPT, undefined);
    assert.equal(env.POD_NAME, 'contract');
    assert.equal(env.POD_IP, pod.status.podIP);
    assert.equal(env.NODE, pod.spec.nodeName);
    assert.equal(env.MEM_MI, '64');
    assert.equal(env.EXPANDED, 'contract-v1');
    assert.equal(env.CFG_key, 'v1');
    assert.equal(env.CFG_mode, 'fast');
    assert.match(env.KUBERNETES_SERVICE_HOST ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(env.KUBERNETES_SERVICE_PORT, '443');
    assert.match(env.WEB_FRONT_SERVICE_HOST ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(env.WEB_FRONT_SERVICE_PORT_HTTP, '8080');
    assert.equal(env.WEB_FRONT_PORT_8080_TCP, `tcp://${env.WEB_FRONT_SERVICE_HOST}:8080`);

    assert.equal(section(log, 'cm').trim(), 'v1');
    assert.deepEqual(section(log, 'secret').trim().split('\n'), ['s3cret', '400']);
    assert.deepEqual(section(log, 'downward').trim().split('\n'), ['app="contract"', 'tier="back"', 'contract', '500']);
    const [mode, tokenBytes] = section(log, 'projected').trim().split('\n');
    assert.equal(mode, 'fast');
    assert.ok(Number(tokenBytes) > 100, 'the audience-bound token is there');
    const [namespace, token] = section(log, 'sa').trim().split('\n');
    assert.equal(namespace, 'default');
    assert.equal(section(log, 'ca').trim(), skiff.caCert.trim());
    assert.match(section(log, 'mounts'), /^tmpfs \/mem tmpfs .*size=16384k/m);
    assert.match(section(log, 'mounts'), / \/cm \S+ ro[ ,]/);
    assert.match(section(log, 'mounts'), /^tmpfs \/secret tmpfs ro[ ,]/m, 'secrets stay off disk');
    assert.ok(section(log, 'writable').split('\n').includes('hi'), 'the emptyDir is writable');
    assert.match(section(log, 'writable'), /Read-only file system|read-only/);

    const hosts = section(log, 'hosts');
    assert.match(hosts, /^# Kubernetes-managed hosts file\.$/m);
    assert.match(hosts, /^127\.0\.0\.1\tlocalhost$/m);
    assert.ok(hosts.includes(`${pod.status.podIP}\th1.sd.default.svc.cluster.local\th1\n`), hosts);
    assert.match(hosts, /^10\.9\.9\.9\talias\.one\talias\.two$/m);
    const dnsService = await skiff.kubectl([
      'get',
      'service',
      'kube-dns',
      '-n',
      'kube-system',
      '-o',
      'jsonpath={.spec.clusterIP}',
    ]);
    const dnsIp = dnsService.code === 0 && dnsService.stdout ? dnsService.stdout : '10.100.0.10';
    const resolv = section(log, 'resolv');
    assert.match(resolv, new RegExp(`^nameserver ${dnsIp.replaceAll('.', '\\.')}$`, 'm'));
    assert.match(resolv, /^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/m);
    assert.match(resolv, /^options ndots:5$/m);
    assert.equal(section(log, 'hostname').trim(), 'h1');

    // The mounted token is the pod's ServiceAccount to the kube API: discovery (every authenticated user's) opens,
    // listing pods is for RBAC to grant.
    assert.equal(await apiGet('/api', token!), 200);
    assert.equal(await apiGet('/api/v1/namespaces/default/pods', token!), 403);
    const whoami = await skiff.kubectl(['auth', 'whoami', `--token=${token}`, '-o', 'jsonpath={.status.userInfo}']);
    assert.equal(whoami.code, 0, whoami.stderr);
    const userInfo = JSON.parse(whoami.stdout);
    assert.equal(userInfo.username, 'system:serviceaccount:default:default');
    assert.deepEqual(userInfo.extra['authentication.kubernetes.io/pod-name'], ['contract']);

    // A ConfigMap change reaches the mounted file, not the subPath one.
    assert.match(log, /LIVE v1 v1 app="contract",tier="back"/);
    const patched = await skiff.kubectl(['patch', 'configmap', 'app', '-p', '{"data":{"key":"v2"}}']);
    assert.equal(patched.code, 0, patched.stderr);
    await w.waitFor(
      async () => (await logs('contract')).includes('LIVE v2 v1'),
      'the ConfigMap change in the pod',
      60_000,
    );
    // So does a label change, to the downwardAPI file.
    const labelled = await skiff.kubectl(['label', 'pod', 'contract', 'tier=front', '--overwrite']);
    assert.equal(labelled.code, 0, labelled.stderr);
    await w.waitFor(
      async () => (await logs('contract')).includes('LIVE v2 v1 app="contract",tier="front"'),
      'the label change in the downwardAPI file',
      60_000,
    );

    // Once the pod is gone, its token is refused.
    assert.equal((await skiff.kubectl(['delete', 'pod', 'contract', '--wait=true'])).code, 0);
    await w.waitFor(
      async () => (await apiGet('/api/v1/namespaces/default/pods', token!)) === 401,
      'the token to be refused',
    );
    assert.equal(existsSync(join(skiff.dataDir, 'sandboxes', pod.metadata.uid)), false, 'the volumes are removed');
  });

  it('holds a container whose ConfigMap is missing in CreateContainerConfigError, with the kubelet event', async () => {
    await apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'no-config' },
      spec: {
        terminationGracePeriodSeconds: 0,
        containers: [
          {
            name: 'main',
            image,
            imagePullPolicy: 'Never',
            command: ['sleep', '3600'],
            env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }],
          },
        ],
      },
    });
    const waiting = await w.waitFor(async () => {
      const pod = (await w.kubectlJson('get', 'pod', 'no-config')) as any;
      const state = pod.status?.containerStatuses?.[0]?.state?.waiting;
      return state?.reason === 'CreateContainerConfigError' && state;
    }, 'CreateContainerConfigError');
    assert.equal(waiting.message, 'configmap "nope" not found');
    const event = await w.waitFor(
      async () => (await w.events('default', 'no-config')).find((e) => e.reason === 'Failed'),
      'the Failed event',
    );
    assert.equal(event.type, 'Warning');
    assert.equal(event.message, 'Error: configmap "nope" not found');
    assert.equal(event.involvedObject.fieldPath, 'spec.containers{main}');
    await skiff.kubectl(['delete', 'pod', 'no-config', '--grace-period=0']);
  });

  it('installs the seccomp profile the pod asks for: RuntimeDefault, a Localhost file, and says when one is missing', async () => {
    mkdirSync(join(skiff.dataDir, 'seccomp'), { recursive: true });
    writeFileSync(join(skiff.dataDir, 'seccomp', 'no-mkdir.json'), JSON.stringify(noMkdirProfile));
    const container = (name: string, seccompProfile?: object) => ({
      name,
      image,
      imagePullPolicy: 'Never',
      command: ['sh', '-c', seccompScript],
      ...(seccompProfile ? { securityContext: { seccompProfile } } : {}),
    });
    await apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'seccomp' },
      spec: {
        terminationGracePeriodSeconds: 0,
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          container('runtime-default'),
          container('unconfined', { type: 'Unconfined' }),
          container('localhost', { type: 'Localhost', localhostProfile: 'no-mkdir.json' }),
          container('missing', { type: 'Localhost', localhostProfile: 'missing.json' }),
        ],
      },
    });
    const log = (c: string) =>
      w.waitFor(async () => {
        const out = (await skiff.kubectl(['logs', 'seccomp', '-c', c])).stdout;
        return out.includes('mkdir:') && out;
      }, `the ${c} container's report`);
    assert.match(await log('runtime-default'), /Seccomp:\s+2\n[\s\S]*mkdir: ok/);
    assert.match(await log('unconfined'), /Seccomp:\s+0\n[\s\S]*mkdir: ok/);
    const localhost = await log('localhost');
    // stdout and stderr interleave in the log as they were written: each line is checked on its own
    for (const line of [/Seccomp:\s+2\n/, /mkdir: refused/, /Operation not permitted/]) assert.match(localhost, line);
    const waiting = await w.waitFor(async () => {
      const pod = (await w.kubectlJson('get', 'pod', 'seccomp')) as any;
      const status = pod.status?.containerStatuses?.find((c: any) => c.name === 'missing');
      return status?.state?.waiting?.reason === 'CreateContainerError' && status.state.waiting;
    }, 'CreateContainerError for the missing profile');
    assert.match(waiting.message, /seccomp/);
    assert.match(waiting.message, /missing\.json/);
    await skiff.kubectl(['delete', 'pod', 'seccomp', '--grace-period=0']);
  });

  it('refuses a volume it cannot mount with FailedMount, and the pod does not start', async () => {
    await apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'nfs' },
      spec: {
        terminationGracePeriodSeconds: 0,
        containers: [
          {
            name: 'main',
            image,
            imagePullPolicy: 'Never',
            command: ['sleep', '3600'],
            volumeMounts: [{ name: 'share', mountPath: '/share' }],
          },
        ],
        volumes: [{ name: 'share', nfs: { server: 'nfs.example.com', path: '/exports' } }],
      },
    });
    const event = await w.waitFor(
      async () => (await w.events('default', 'nfs')).find((e) => e.reason === 'FailedMount'),
      'the FailedMount event',
    );
    assert.equal(event.type, 'Warning');
    assert.match(
      event.message,
      /^Unable to attach or mount volumes: unmounted volumes=\[share\], unattached volumes=\[/,
    );
    const pod = (await w.kubectlJson('get', 'pod', 'nfs')) as any;
    assert.equal(pod.status.phase, 'Pending');
    assert.equal(pod.status.containerStatuses?.[0]?.state?.waiting?.reason ?? 'ContainerCreating', 'ContainerCreating');
    assert.equal(pod.status.containerStatuses?.[0]?.containerID, undefined);
    await skiff.kubectl(['delete', 'pod', 'nfs', '--grace-period=0']);
  });

  it('issues tokens with kubectl create token', async () => {
    const out = await skiff.kubectl(['create', 'token', 'default', '--duration=15m']);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(await apiGet('/api', out.stdout.trim()), 200);
    const short = await skiff.kubectl(['create', 'token', 'default', '--duration=5m']);
    assert.notEqual(short.code, 0);
    const kubectl128 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.28';
    if (existsSync(kubectl128)) {
      const old = await run(kubectl128, ['create', 'token', 'default'], { env: { KUBECONFIG: skiff.kubeconfig } });
      assert.equal(old.code, 0, old.stderr);
      assert.equal(await apiGet('/api', old.stdout.trim()), 200);
    }
  });

  it('runs node-group pods in the host network and PID namespaces, privileged, with hostPath', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-hostpath-'));
    writeFileSync(join(dir, 'from-host.txt'), 'written by the host\n');
    try {
      await apply({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'host' },
        spec: {
          hostNetwork: true,
          hostPID: true,
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: 'main',
              image,
              imagePullPolicy: 'Never',
              securityContext: { privileged: true },
              command: [
                'sh',
                '-c',
                'echo "== hostname =="; hostname; echo "== file =="; cat /host/from-host.txt; echo "== pid1 =="; cat /proc/1/comm; echo "== cap =="; busybox grep CapEff /proc/self/status; echo "== end =="; sleep 3600',
              ],
              volumeMounts: [{ name: 'host', mountPath: '/host' }],
            },
          ],
          volumes: [{ name: 'host', hostPath: { path: dir, type: 'Directory' } }],
        },
      });
      const log = await w.waitFor(
        async () => {
          const text = await logs('host');
          return text.includes('== end ==') && text;
        },
        'the host pod to print',
        90_000,
      );
      const machine = (await run('hostname', [])).stdout.trim();
      assert.equal(section(log, 'hostname').trim(), machine);
      assert.equal(section(log, 'file').trim(), 'written by the host');
      const init = (await run('cat', ['/proc/1/comm'])).stdout.trim();
      assert.equal(section(log, 'pid1').trim(), init);
      const bounding = /CapBnd:\s+(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1];
      assert.equal(/CapEff:\s+(\S+)/.exec(section(log, 'cap'))?.[1], bounding, 'privileged: every capability');
      await skiff.kubectl(['delete', 'pod', 'host', '--grace-period=0']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
