// Load balancers and egress on `skiff up --runtime process`, with real kubectl, curl and Debian's Chromium and busybox
// images built offline: the IngressClass `alb` as the controller's chart installs it; an NLB Service (external, ip)
// reachable from the host at its address; an ALB Ingress with two paths to two Services on Fargate; a pod whose
// readiness fails getting no traffic; `instance` targets refused with the controller's event; addresses and ports
// gone with their objects; pods reaching a server outside the VPC through the host's NAT (a network namespace the
// test makes stands for the outside) while nothing from there reaches a pod; and seed 004's 2048 game opened at its
// Ingress address with curl and in headless Chromium, with a screenshot.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeOciImage } from '../../src/agent/engine/oci/layout.js';
import { busyboxLayer } from '../../src/agent/engine/testing/busybox-image.js';
import { fixtures, type Walkthrough, walkthrough } from './harness/cluster.js';
import { run, type SkiffProcess, startSkiff } from './harness/skiff.js';

const canRun =
  process.getuid?.() === 0 && existsSync('/usr/bin/containerd') && existsSync('/usr/sbin/iptables-restore');
const image = 'import.skiff.local/e2e/web:1';
const gameImage = 'import.skiff.local/e2e/2048:1';
const gameTitle = '2048 on Skiff';
const ns = 'lb';

/** A pod serving its name at /, /a/ and /b/ on 8080, ready while /tmp/ready exists. */
const webPod = (name: string, app: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels: { app } },
  spec: {
    containers: [
      {
        name: 'web',
        image,
        imagePullPolicy: 'Never',
        command: [
          'sh',
          '-c',
          `mkdir -p /www/a /www/b; for d in /www /www/a /www/b; do echo ${name} > $d/index.html; done; touch /tmp/ready; exec httpd -f -p 8080 -h /www`,
        ],
        ports: [{ name: 'http', containerPort: 8080 }],
        readinessProbe: { exec: { command: ['test', '-e', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
      },
    ],
  },
});

const service = (name: string, app: string, extra: any = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns, ...(extra.metadata ?? {}) },
  spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...(extra.spec ?? {}) },
});

const nlbAnnotations = {
  'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
  'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
  'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
};

const ingress = (name: string, annotations: Record<string, string>, spec: any) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: ns, annotations },
  spec: { ingressClassName: 'alb', ...spec },
});

const prefix = (path: string, svc: string) => ({
  path,
  pathType: 'Prefix',
  backend: { service: { name: svc, port: { number: 80 } } },
});

/** The 2048 page the seed's image serves, built offline: busybox httpd on :80 serving an index.html. */
function writeGameImage(dir: string): void {
  const page = `<!DOCTYPE html><html><head><title>${gameTitle}</title></head><body><h1>2048</h1><p>Join the numbers and get to the 2048 tile!</p></body></html>\n`;
  writeOciImage(dir, {
    name: gameImage,
    layers: [
      busyboxLayer(),
      [
        { path: 'usr', type: 'dir' },
        { path: 'usr/share', type: 'dir' },
        { path: 'usr/share/nginx', type: 'dir' },
        { path: 'usr/share/nginx/html', type: 'dir' },
        { path: 'usr/share/nginx/html/index.html', type: 'file', content: page },
      ],
    ],
    cmd: ['httpd', '-f', '-p', '80', '-h', '/usr/share/nginx/html'],
  });
}

describe('ALB and NLB load balancers and egress on the process runtime', {
  skip: !canRun && 'needs root and containerd',
}, () => {
  let skiff: SkiffProcess;
  let w: Walkthrough;
  const children: ChildProcess[] = [];

  const kubectl = async (args: string[], input?: string) => {
    const out = await skiff.kubectl(args, input);
    assert.equal(out.code, 0, `kubectl ${args.join(' ')}: ${out.stderr}`);
    return out.stdout;
  };
  const apply = (...objects: object[]) =>
    kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
  /** curl as a user on the host would run it: the address as printed, resolved by curl itself. */
  const curl = (url: string) => run('curl', ['-sS', '-m', '5', url]);
  const bodies = async (url: string, times: number) => {
    const seen: string[] = [];
    for (let i = 0; i < times; i++) {
      const out = await curl(url);
      seen.push(out.code === 0 ? out.stdout.trim() : `failed: ${out.stderr.trim()}`);
    }
    return seen;
  };
  const hostnameOf = (kind: string, name: string, namespace = ns) =>
    w.waitFor(
      async () =>
        (await w.kubectlJson('get', kind, name, '-n', namespace)).status?.loadBalancer?.ingress?.[0]?.hostname,
      `the ${kind} ${name}'s address`,
      30_000,
    );
  const ready = (pod: any) => pod.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';
  const objectEvents = async (name: string) =>
    (await w.kubectlJson('get', 'events', '-n', ns, '--field-selector', `involvedObject.name=${name}`)).items as any[];

  before(async () => {
    skiff = await startSkiff(['--runtime', 'process']);
    writeOciImage(join(skiff.dataDir, 'web-layout'), { name: image, layers: [busyboxLayer()] });
    await skiff.importImage(join(skiff.dataDir, 'web-layout'));
    writeGameImage(join(skiff.dataDir, 'game-layout'));
    await skiff.importImage(join(skiff.dataDir, 'game-layout'));
    w = await walkthrough(skiff);
    await w.fargateProfile('lb', ns);
    await kubectl(['create', 'namespace', ns]);
    await apply(
      webPod('a-1', 'a'),
      webPod('a-2', 'a'),
      webPod('b-1', 'b'),
      service('svc-a', 'a'),
      service('svc-b', 'b', { spec: { type: 'NodePort' } }),
    );
    await w.waitFor(async () => (await w.pods(ns)).filter(ready).length === 3, 'the web pods ready', 180_000);
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await skiff?.stop();
  });

  it('has the IngressClass alb of controller ingress.k8s.aws/alb, with its IngressClassParams', async () => {
    const cls = await w.kubectlJson('get', 'ingressclass', 'alb');
    assert.equal(cls.spec.controller, 'ingress.k8s.aws/alb');
    assert.deepEqual(cls.spec.parameters, { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'alb' });
    assert.equal((await w.kubectlJson('get', 'ingressclassparams', 'alb')).kind, 'IngressClassParams');
  });

  it('an NLB Service (external, ip targets) is reachable from the host at its address and port', async () => {
    await apply(
      service('nlb', 'a', {
        metadata: { annotations: nlbAnnotations },
        spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 8088, targetPort: 'http' }] },
      }),
    );
    const address = await hostnameOf('service', 'nlb');
    assert.match(address, /^k8s-lb-nlb-[0-9a-f]{10}-[0-9a-f]{16}\.elb\.ap-northeast-2\.localhost$/);
    const table = await kubectl(['get', 'service', 'nlb', '-n', ns]);
    assert.match(table, new RegExp(`nlb\\s+LoadBalancer\\s+\\S+\\s+${address.replace(/\./g, '\\.')}\\s+8088:\\d+/TCP`));
    const seen = await w.waitFor(
      async () => {
        const answers = await bodies(`http://${address}:8088/`, 8);
        return new Set(answers).size === 2 && answers.every((a) => /^a-[12]$/.test(a)) ? answers : undefined;
      },
      'both a pods through the NLB',
      30_000,
    );
    assert.equal(seen.length, 8);
  });

  it('an ALB Ingress routes two paths to two Services, and the default to a 404', async () => {
    await apply(
      ingress(
        'two-paths',
        {
          'alb.ingress.kubernetes.io/scheme': 'internet-facing',
          'alb.ingress.kubernetes.io/target-type': 'ip',
          'alb.ingress.kubernetes.io/healthcheck-path': '/a/',
        },
        {
          rules: [{ http: { paths: [prefix('/a', 'svc-a'), prefix('/b', 'svc-b')] } }],
        },
      ),
    );
    const address = await hostnameOf('ingress', 'two-paths');
    assert.match(address, /^k8s-lb-twopaths-[0-9a-f]{10}-\d+\.ap-northeast-2\.elb\.localhost$/);
    await w.waitFor(
      async () => (await curl(`http://${address}/b/`)).stdout.trim() === 'b-1',
      'b through the ALB',
      30_000,
    );
    assert.deepEqual([...new Set(await bodies(`http://${address}/a/`, 8))].sort(), ['a-1', 'a-2']);
    const missing = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `http://${address}/c/`]);
    assert.equal(missing.stdout, '404');
    const table = await kubectl(['get', 'ingress', 'two-paths', '-n', ns]);
    assert.match(table, new RegExp(`two-paths\\s+alb\\s+\\*\\s+${address.replace(/\./g, '\\.')}\\s+80\\s`));
    const events = await objectEvents('two-paths');
    assert.ok(events.some((e) => e.reason === 'SuccessfullyReconciled' && e.message === 'Successfully reconciled'));
  });

  it('a pod whose readiness fails gets no traffic from the ALB or the NLB, and gets it back once ready', async () => {
    const alb = await hostnameOf('ingress', 'two-paths');
    const nlb = await hostnameOf('service', 'nlb');
    await kubectl(['exec', '-n', ns, 'a-2', '--', 'sh', '-c', 'rm /tmp/ready']);
    await w.waitFor(async () => !ready(await w.kubectlJson('get', 'pod', 'a-2', '-n', ns)), 'a-2 unready', 30_000);
    await w.waitFor(
      async () => (await bodies(`http://${alb}/a/`, 6)).every((b) => b === 'a-1'),
      'only a-1 behind the ALB',
      10_000,
    );
    assert.deepEqual([...new Set(await bodies(`http://${alb}/a/`, 10))], ['a-1']);
    assert.deepEqual([...new Set(await bodies(`http://${nlb}:8088/`, 10))], ['a-1']);
    await kubectl(['exec', '-n', ns, 'a-2', '--', 'sh', '-c', 'touch /tmp/ready']);
    await w.waitFor(
      async () => new Set(await bodies(`http://${alb}/a/`, 8)).size === 2,
      'a-2 back behind the ALB',
      30_000,
    );
  });

  it('instance targets are refused with the controller’s FailedBuildModel event, and no address', async () => {
    await apply(
      ingress(
        'instance',
        { 'alb.ingress.kubernetes.io/target-type': 'instance' },
        { defaultBackend: { service: { name: 'svc-a', port: { number: 80 } } } },
      ),
    );
    const event = await w.waitFor(
      async () => (await objectEvents('instance')).find((e) => e.reason === 'FailedBuildModel'),
      'the FailedBuildModel event',
      30_000,
    );
    assert.equal(event.type, 'Warning');
    assert.equal(event.source?.component ?? event.reportingComponent, 'ingress');
    assert.equal(
      event.message,
      "Failed build model due to ingress: lb/instance: TargetGroup port is empty. When using Instance targets, your service must be of type 'NodePort' or 'LoadBalancer'",
    );
    const described = await kubectl(['describe', 'ingress', 'instance', '-n', ns]);
    assert.match(
      described,
      /Warning\s+FailedBuildModel\s+\S+\s+ingress\s+Failed build model due to ingress: lb\/instance: TargetGroup port is empty/,
    );
    assert.equal(
      (await w.kubectlJson('get', 'ingress', 'instance', '-n', ns)).status?.loadBalancer?.ingress,
      undefined,
    );
    await kubectl(['delete', 'ingress', 'instance', '-n', ns]);
  });

  it('pods reach a server outside the VPC through the host’s NAT; nothing from outside reaches a pod', async () => {
    // The outside: a network namespace of the test's own, linked to the host by a veth, its server on 198.51.100.2.
    const outside = `skiff-out-${process.pid}`;
    const link = `skout${process.pid % 100000}`;
    const steps = [
      ['netns', 'add', outside],
      ['link', 'add', link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', outside],
      ['addr', 'add', '198.51.100.1/30', 'dev', link],
      ['link', 'set', link, 'up'],
      ['-n', outside, 'addr', 'add', '198.51.100.2/30', 'dev', 'eth0'],
      ['-n', outside, 'link', 'set', 'eth0', 'up'],
      ['-n', outside, 'link', 'set', 'lo', 'up'],
      // As a router's upstream would, the outside knows the way back to the VPC (which the NAT makes unnecessary).
      ['-n', outside, 'route', 'add', '10.0.0.0/16', 'via', '198.51.100.1'],
    ];
    try {
      for (const step of steps) {
        const out = await run('ip', step);
        assert.equal(out.code, 0, `ip ${step.join(' ')}: ${out.stderr}`);
      }
      // The replies come in on this (the test's) interface, which must forward them, as an uplink of a NAT gateway.
      await run('sysctl', ['-qw', `net.ipv4.conf.${link}.forwarding=1`]);
      const server = spawn(
        'ip',
        [
          'netns',
          'exec',
          outside,
          process.execPath,
          '-e',
          `require('node:http').createServer((q, s) => s.end('outside saw ' + q.socket.remoteAddress)).listen(8080, '198.51.100.2', () => console.log('up'))`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      children.push(server);
      await new Promise((resolve) => server.stdout!.once('data', resolve));
      const get = `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 198.51.100.2 8080`;
      const answer = await kubectl(['exec', '-n', ns, 'b-1', '--', 'sh', '-c', get]);
      assert.match(answer, /outside saw 198\.51\.100\.1$/, 'the server sees the host’s address (masqueraded)');
      const podIp = (await w.kubectlJson('get', 'pod', 'b-1', '-n', ns)).status.podIP;
      const inbound = await run('ip', ['netns', 'exec', outside, 'curl', '-sS', '-m', '3', `http://${podIp}:8080/`]);
      assert.notEqual(inbound.code, 0, `a pod answered from outside: ${inbound.stdout}`);
      server.kill('SIGTERM');
    } finally {
      await run('ip', ['link', 'del', link]);
      await run('ip', ['netns', 'del', outside]);
    }
  });

  it('seed 004: the 2048 game at its Ingress address, with curl and in headless Chromium', async (t) => {
    // As the seed: `eksctl create fargateprofile --cluster ${EKSCLUSTER_NAME} --name … --namespace …`.
    const created = await w.skiff(
      'create',
      'fargateprofile',
      '--cluster',
      'skiff',
      '--name',
      'fargate-game-2048',
      '--namespace',
      'fargate-game-2048',
    );
    assert.equal(created.code, 0, created.stderr);
    const manifest = readFileSync(fixtures('seed004-2048.yaml'), 'utf8')
      .replace('public.ecr.aws/l6m2t8p7/docker-2048:latest', gameImage)
      .replace('imagePullPolicy: Always', 'imagePullPolicy: Never');
    await kubectl(['apply', '-f', '-'], manifest);
    const status = await skiff.kubectl([
      '-n',
      'fargate-game-2048',
      'rollout',
      'status',
      'deployment',
      'deployment-2048',
      '--timeout=180s',
    ]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /deployment "deployment-2048" successfully rolled out/);
    await hostnameOf('ingress', 'ingress-2048', 'fargate-game-2048');
    // The seed's last step, as printed.
    const printed = await run(
      'sh',
      [
        '-c',
        `echo "fargate 2048 Game Ingress 주소는: http://$(kubectl -n fargate-game-2048 get ingress -o jsonpath='{.items[*].status.loadBalancer.ingress[*].hostname}')"`,
      ],
      { env: { KUBECONFIG: skiff.kubeconfig } },
    );
    const url = printed.stdout.match(/(http:\/\/\S+)/)?.[1];
    assert.match(url ?? '', /^http:\/\/k8s-fargateg-ingress2-[0-9a-f]{10}-\d+\.ap-northeast-2\.elb\.localhost$/);
    const page = await w.waitFor(
      async () => {
        const out = await curl(url!);
        return out.code === 0 && out.stdout.includes(gameTitle) ? out.stdout : undefined;
      },
      'the 2048 page through the ALB',
      30_000,
    );
    assert.match(page, /Join the numbers/);

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const tab = await browser.newPage();
      const response = await tab.goto(url!);
      assert.equal(response?.status(), 200);
      assert.equal(await tab.title(), gameTitle);
      assert.equal(await tab.locator('h1').textContent(), '2048');
      const shot = join(mkdtempSync(join(tmpdir(), 'skiff-seed004-')), '2048.png');
      await tab.screenshot({ path: shot });
      assert.ok(statSync(shot).size > 1000, 'the screenshot was written');
      t.diagnostic(`screenshot: ${shot}`);
    } finally {
      await browser.close();
    }
  });

  it('addresses and listeners go with their objects', async () => {
    const alb = await hostnameOf('ingress', 'two-paths');
    const nlb = await hostnameOf('service', 'nlb');
    await kubectl(['delete', 'ingress', 'two-paths', '-n', ns]);
    await kubectl(['delete', 'service', 'nlb', '-n', ns]);
    await w.waitFor(async () => (await curl(`http://${nlb}:8088/`)).code !== 0, 'the NLB port closed', 10_000);
    // The seed's ALB still holds port 80: the deleted one's address is no longer routed there.
    await w.waitFor(
      async () =>
        (await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `http://${alb}/a/`])).stdout === '404',
      'the deleted ALB no longer routed',
      10_000,
    );
  });
});
