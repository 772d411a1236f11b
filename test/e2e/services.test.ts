// Services that route on `skiff up --runtime process` (the service proxy's iptables rules in the VPC namespace),
// with real kubectl and the offline busybox image: two `busybox httpd` pods (each serving its hostname) behind a
// NodePort Service whose named targetPort resolves to a different port on each; GETs (busybox nc) from a node-group
// pod and a Fargate pod spread over both; hairpin; sessionAffinity ClientIP; internalTrafficPolicy Local; UDP (a
// responder in each endpoint pod's network namespace: Debian's busybox nc has no UDP), and a UDP flow moving off an
// endpoint that left; NodePort and ClusterIPs from the host; a pod whose readiness fails gets no traffic; an
// endpoint change reaches the rules within about a second; the `kubernetes` Service reaches the kube API from pods
// and, through the same DNAT, accepts a pod's ServiceAccount token; from outside the VPC only a NodePort reaches a
// pod.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { enginePaths } from '../../src/agent/engine/index.js';
import { writeBusyboxImage } from '../../src/agent/engine/testing/busybox-image.js';
import { internalIp, running, type Walkthrough, walkthrough } from './harness/cluster.js';
import { run, type SkiffProcess, startSkiff } from './harness/skiff.js';

const canRun =
  process.getuid?.() === 0 && existsSync('/usr/bin/containerd') && existsSync('/usr/sbin/iptables-restore');
const image = 'import.skiff.local/e2e/busybox:1';
const udpPort = 9000;

const webPod = (name: string, port: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'web' } },
  spec: {
    containers: [
      {
        name: 'web',
        image,
        imagePullPolicy: 'Never',
        command: [
          'sh',
          '-c',
          `mkdir -p /www; hostname > /www/index.html; touch /tmp/ready; exec busybox httpd -f -p ${port} -h /www`,
        ],
        ports: [{ name: 'http', containerPort: port }],
        readinessProbe: { exec: { command: ['test', '-e', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
      },
    ],
  },
});

const clientPod = (namespace: string, marker: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'client', namespace },
  spec: {
    containers: [{ name: 'client', image, imagePullPolicy: 'Never', command: ['sleep', String(marker)] }],
  },
});

const services = [
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      type: 'NodePort',
      selector: { app: 'web' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        { name: 'echo', port: udpPort, targetPort: udpPort, protocol: 'UDP' },
      ],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'sticky', namespace: 'default' },
    spec: { selector: { app: 'web' }, sessionAffinity: 'ClientIP', ports: [{ port: 80, targetPort: 'http' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'local', namespace: 'default' },
    spec: { selector: { app: 'web' }, internalTrafficPolicy: 'Local', ports: [{ port: 80, targetPort: 'http' }] },
  },
];

/** The host PID of the process whose command line is exactly `cmdline` (a pod's main process). */
function pidOf(cmdline: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim() === cmdline) return Number(entry);
    } catch {}
  }
  throw new Error(`no process runs ${cmdline}`);
}

const udpResponder = (answer: string) => `
const s = require('node:dgram').createSocket('udp4');
s.on('message', (m, r) => s.send(${JSON.stringify(answer)}, r.port, r.address));
s.bind(${udpPort}, () => console.log('listening'));`;

const udpAsk = (ip: string, times: number) => `
const s = require('node:dgram').createSocket('udp4');
const seen = [];
let left = ${times};
const ask = () => { const c = require('node:dgram').createSocket('udp4');
  const t = setTimeout(() => { c.close(); seen.push('timeout'); next(); }, 2000);
  c.on('message', (m) => { clearTimeout(t); c.close(); seen.push(String(m)); next(); });
  c.send('hi', ${udpPort}, ${JSON.stringify(ip)}); };
const next = () => (--left < 0 ? (console.log(seen.join('\\n')), s.close()) : ask());
next();`;

/** One UDP socket, kept: asks once per line on stdin, printing each answer (one conntrack flow throughout). */
const udpOneFlow = (ip: string) => `
const s = require('node:dgram').createSocket('udp4');
s.on('message', (m) => console.log(String(m)));
const ask = () => s.send('hi', ${udpPort}, ${JSON.stringify(ip)});
require('node:readline').createInterface({ input: process.stdin }).on('line', ask).on('close', () => s.close());
ask();`;

describe('Services route inside the VPC on the process runtime', {
  skip: !canRun && 'needs root and containerd',
}, () => {
  let skiff: SkiffProcess;
  let w: Walkthrough;
  let netns: string;
  let clusterIP: string;
  let stickyIP: string;
  let localIP: string;
  let nodePort: number;
  const responders: ChildProcess[] = [];
  const clients = [
    { where: 'node-group', namespace: 'default', marker: 100001 },
    { where: 'Fargate', namespace: 'fg', marker: 100002 },
  ];

  const kubectl = async (args: string[], input?: string) => {
    const out = await skiff.kubectl(args, input);
    assert.equal(out.code, 0, `kubectl ${args.join(' ')}: ${out.stderr}`);
    return out.stdout;
  };
  /** `times` HTTP GETs from a pod (busybox nc: this Debian busybox's static wget crashes in containers); the bodies. */
  const fetchFrom = async (namespace: string, pod: string, address: string, times: number) => {
    const [host, port = '80'] = address.split(':');
    const get = `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${host} ${port}`;
    const script = `for i in $(seq ${times}); do ${get}; echo; echo --end--; done`;
    const out = await kubectl(['exec', '-n', namespace, pod, '--', 'sh', '-c', script]);
    return out
      .split('--end--\n')
      .slice(0, -1)
      .map((response) => (response.startsWith('HTTP/1.1 200') ? response.trim().split('\n').at(-1)!.trim() : 'failed'));
  };
  const natRules = async () => (await run('ip', ['netns', 'exec', netns, 'iptables-save', '-t', 'nat'])).stdout;
  /** conntrack's UDP flows NATed to `ip` (the proxy deletes them just after it has loaded the new rules). */
  const udpFlowsTo = async (ip: string) =>
    (await run('ip', ['netns', 'exec', netns, 'conntrack', '-L', '-p', 'udp', '--dst-nat', ip])).stdout.trim();
  const podIp = async (name: string) => (await w.kubectlJson('get', 'pod', name)).status.podIP as string;
  const ready = (pod: any) => pod.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';

  before(async () => {
    skiff = await startSkiff(['--runtime', 'process']);
    netns = enginePaths(join(skiff.dataDir, 'containerd')).netns;
    writeBusyboxImage(join(skiff.dataDir, 'busybox-layout'), image, 'hello');
    await skiff.importImage(join(skiff.dataDir, 'busybox-layout'));
    w = await walkthrough(skiff);
    await w.nodegroup('ng', 1);
    const fp = await w.skiff('create', 'fargateprofile', '--cluster', 'skiff', '--name', 'fp', '--namespace', 'fg');
    assert.equal(fp.code, 0, fp.stderr);
    await kubectl(['create', 'namespace', 'fg']);
    const objects = [
      webPod('web-1', 8080),
      webPod('web-2', 8081),
      ...clients.map((c) => clientPod(c.namespace, c.marker)),
      ...services,
    ];
    await kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
    await w.waitFor(
      async () => (await w.pods('default', 'app=web')).filter(ready).length === 2,
      'web pods ready',
      120_000,
    );
    for (const c of clients) {
      await w.waitFor(
        async () => running(await w.pods(c.namespace)).some((p) => p.metadata.name === 'client'),
        `the ${c.where} client`,
        120_000,
      );
    }
    const web = await w.kubectlJson('get', 'service', 'web');
    clusterIP = web.spec.clusterIP;
    nodePort = web.spec.ports.find((p: any) => p.name === 'http').nodePort;
    stickyIP = (await w.kubectlJson('get', 'service', 'sticky')).spec.clusterIP;
    localIP = (await w.kubectlJson('get', 'service', 'local')).spec.clusterIP;
  });
  after(async () => {
    for (const child of responders) if (child.exitCode === null) child.kill('SIGTERM');
    await skiff?.stop();
  });

  for (const c of clients) {
    it(`a ClusterIP spreads over both endpoints from a ${c.where} pod, each on its own named targetPort`, async () => {
      const answers = await fetchFrom(c.namespace, 'client', `${clusterIP}:80`, 24);
      assert.deepEqual([...new Set(answers)].sort(), ['web-1', 'web-2']);
    });
  }

  it('an endpoint reaching itself through its Service gets its own answer too (hairpin)', async () => {
    const answers = await fetchFrom('default', 'web-1', clusterIP, 24);
    assert.deepEqual([...new Set(answers)].sort(), ['web-1', 'web-2']);
  });

  it('sessionAffinity ClientIP keeps a client on one endpoint', async () => {
    const answers = await fetchFrom('default', 'client', stickyIP, 12);
    assert.equal(new Set(answers).size, 1, answers.join(','));
    assert.match(answers[0]!, /^web-[12]$/);
  });

  it('internalTrafficPolicy Local: a pod on the endpoints’ node reaches them, a Fargate pod (its own node) not', async () => {
    const near = await fetchFrom('default', 'client', localIP, 8);
    assert.deepEqual([...new Set(near)].sort(), ['web-1', 'web-2']);
    const far = await fetchFrom('fg', 'client', localIP, 2);
    assert.deepEqual(far, ['failed', 'failed']);
  });

  it('UDP reaches both endpoints through the ClusterIP', async () => {
    for (const [name, port] of [
      ['web-1', 8080],
      ['web-2', 8081],
    ] as const) {
      const pid = pidOf(`busybox httpd -f -p ${port} -h /www`);
      const child = spawn('nsenter', [`--net=/proc/${pid}/ns/net`, process.execPath, '-e', udpResponder(name)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      responders.push(child);
      await new Promise((resolve) => child.stdout!.once('data', resolve));
    }
    const client = pidOf('sleep 100001');
    const out = await run('nsenter', [`--net=/proc/${client}/ns/net`, process.execPath, '-e', udpAsk(clusterIP, 16)]);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual([...new Set(out.stdout.trim().split('\n'))].sort(), ['web-1', 'web-2']);
  });

  it('a UDP flow whose endpoint leaves moves to another endpoint (stale conntrack entries deleted)', async () => {
    const client = pidOf('sleep 100001');
    const child = spawn('nsenter', [`--net=/proc/${client}/ns/net`, process.execPath, '-e', udpOneFlow(clusterIP)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    responders.push(child);
    const answers: string[] = [];
    child.stdout!.on('data', (d) => answers.push(...String(d).trim().split('\n')));
    await w.waitFor(async () => answers.length === 1, 'a first UDP answer', 5_000);
    const first = answers[0]!;
    const ip = await podIp(first);
    await kubectl(['label', 'pod', first, 'app-']);
    try {
      await w.waitFor(async () => !(await natRules()).includes(`${ip}:${udpPort}`), `${first} out of the rules`, 5_000);
      await w.waitFor(async () => (await udpFlowsTo(ip)) === '', `the UDP flows to ${first} deleted`, 5_000);
      child.stdin!.write('again\n');
      await w.waitFor(async () => answers.length === 2, 'a second UDP answer', 5_000);
      assert.notEqual(answers[1], first, 'the flow still went to the endpoint that left');
    } finally {
      child.stdin!.end();
      await kubectl(['label', 'pod', first, 'app=web']);
      await w.waitFor(async () => (await natRules()).includes(`${ip}:${udpPort}`), `${first} back in the rules`, 5_000);
    }
  });

  it('a NodePort answers on the node-group node’s IP from the host, not on a Fargate node’s', async () => {
    const nodes = await w.nodes();
    const groupNode = nodes.find((n) => n.metadata.labels?.['eks.amazonaws.com/nodegroup'] === 'ng');
    assert.ok(groupNode, 'the node group has a node');
    const seen = new Set<string>();
    for (let i = 0; i < 16; i++) {
      const res = await fetch(`http://${internalIp(groupNode)}:${nodePort}/`, { signal: AbortSignal.timeout(3000) });
      seen.add((await res.text()).trim());
    }
    assert.deepEqual([...seen].sort(), ['web-1', 'web-2']);
    const fargateNode = nodes.find((n) => n.metadata.labels?.['eks.amazonaws.com/compute-type'] === 'fargate');
    assert.ok(fargateNode);
    assert.doesNotMatch(await natRules(), new RegExp(`-d ${internalIp(fargateNode)}/32 .*--dport ${nodePort}`));
  });

  it('the host reaches ClusterIPs, as an EKS node does (and with it hostNetwork pods)', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 16; i++) {
      const res = await fetch(`http://${clusterIP}/`, { signal: AbortSignal.timeout(3000) });
      seen.add((await res.text()).trim());
    }
    assert.deepEqual([...seen].sort(), ['web-1', 'web-2']);
  });

  it('a pod whose readiness fails stops getting traffic, and gets it back once ready', async () => {
    await kubectl(['exec', 'web-2', '--', 'sh', '-c', 'rm /tmp/ready']);
    await w.waitFor(async () => !ready(await w.kubectlJson('get', 'pod', 'web-2')), 'web-2 unready', 30_000);
    const ip = await podIp('web-2');
    await w.waitFor(async () => !(await natRules()).includes(`${ip}:8081`), 'web-2 out of the rules', 5_000);
    const answers = await fetchFrom('fg', 'client', clusterIP, 16);
    assert.deepEqual([...new Set(answers)], ['web-1']);
    await kubectl(['exec', 'web-2', '--', 'sh', '-c', 'touch /tmp/ready']);
    await w.waitFor(async () => ready(await w.kubectlJson('get', 'pod', 'web-2')), 'web-2 ready again', 30_000);
  });

  it('an endpoint change reaches the rules within about a second', async () => {
    const ip = await podIp('web-1');
    await w.waitFor(async () => (await natRules()).includes(`${ip}:8080`), 'web-1 in the rules', 10_000);
    await kubectl(['label', 'pod', 'web-1', 'app-']);
    const start = Date.now();
    while ((await natRules()).includes(`${ip}:8080`)) {
      assert.ok(Date.now() - start < 3000, 'web-1 still in the rules after 3 s');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const removedMs = Date.now() - start;
    await kubectl(['label', 'pod', 'web-1', 'app=web']);
    const back = Date.now();
    while (!(await natRules()).includes(`${ip}:8080`)) {
      assert.ok(Date.now() - back < 3000, 'web-1 not back in the rules after 3 s');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const addedMs = Date.now() - back;
    assert.ok(removedMs < 1200 && addedMs < 1200, `removed in ${removedMs} ms, added in ${addedMs} ms`);
  });

  it('from outside the VPC, as to private subnets, only a NodePort reaches pods', async () => {
    // An address from outside (TEST-NET-1) on the host's end of the VPC link stands for a packet the host forwards
    // from elsewhere: it enters the VPC namespace over the link as such a packet would, with no host forwarding.
    const outside = '192.0.2.1';
    const hostLink = (await run('ip', ['-o', 'route', 'get', await podIp('web-1')])).stdout.match(/ dev (\S+)/)![1]!;
    const added = await run('ip', ['addr', 'add', `${outside}/32`, 'dev', hostLink]);
    assert.equal(added.code, 0, added.stderr);
    try {
      const curl = (url: string) => run('curl', ['-sS', '-m', '3', '--interface', outside, url]);
      const group = (await w.nodes('eks.amazonaws.com/nodegroup=ng'))[0];
      const viaNodePort = await curl(`http://${internalIp(group)}:${nodePort}/`);
      assert.equal(viaNodePort.code, 0, viaNodePort.stderr);
      assert.match(viaNodePort.stdout, /^web-[12]$/m);
      const straight = await curl(`http://${await podIp('web-1')}:8080/`);
      assert.notEqual(straight.code, 0, `a pod IP answered from outside: ${straight.stdout}`);
      const viaClusterIp = await curl(`http://${clusterIP}/`);
      assert.notEqual(viaClusterIp.code, 0, `a ClusterIP answered from outside: ${viaClusterIp.stdout}`);
      const fromHost = await run('curl', ['-sS', '-m', '3', `http://${await podIp('web-1')}:8080/`]);
      assert.equal(fromHost.stdout.trim(), 'web-1', 'the host itself still reaches pod IPs');
    } finally {
      await run('ip', ['addr', 'del', `${outside}/32`, 'dev', hostLink]);
    }
  });

  it('the `kubernetes` Service reaches the kube API from pods, which takes a pod’s ServiceAccount token', async () => {
    const slice = await w.kubectlJson('get', 'endpointslice', 'kubernetes');
    const [apiAddress] = slice.endpoints[0].addresses;
    assert.match(apiAddress, /^169\.254\./, 'the API server’s endpoint is the host end of the VPC link');
    for (const c of clients) {
      const env = await kubectl(['exec', '-n', c.namespace, 'client', '--', 'env']);
      assert.match(env, /^KUBERNETES_SERVICE_HOST=10\.100\.0\.1$/m);
      assert.match(env, /^KUBERNETES_SERVICE_PORT=443$/m);
      // A TCP connection through the Service (busybox has no TLS client here): nc connects, or fails with 1.
      const script = 'nc -w 3 $KUBERNETES_SERVICE_HOST $KUBERNETES_SERVICE_PORT </dev/null 2>&1; echo rc=$?';
      const out = await kubectl(['exec', '-n', c.namespace, 'client', '--', 'sh', '-c', script]);
      assert.match(out, /rc=0$/m, `${c.where}: ${out}`);
    }
    const token = await kubectl(['exec', 'client', '--', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/token']);
    const ca = await kubectl(['exec', 'client', '--', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt']);
    const caFile = join(skiff.dataDir, 'pod-ca.crt');
    writeFileSync(caFile, ca);
    const review = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    const out = await run('ip', [
      ...['netns', 'exec', netns, 'curl', '-sS', '--cacert', caFile],
      ...['--resolve', 'kubernetes.default.svc:443:10.100.0.1', '-H', `Authorization: Bearer ${token}`],
      ...['-H', 'Content-Type: application/json', '-d', review],
      'https://kubernetes.default.svc/apis/authentication.k8s.io/v1/selfsubjectreviews',
    ]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(JSON.parse(out.stdout).status.userInfo.username, 'system:serviceaccount:default:default');
  });
});
