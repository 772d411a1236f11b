// The real kubectl against `skiff up`: the commands of the embedded-cluster issue print what a real cluster
// prints, and objects round-trip through apply, label, annotate, scale, watch and delete.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { run, type SkiffProcess, startSkiff } from './harness/skiff.js';

const kubectl128 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.28';
const kubectls = [
  { version: '1.32', bin: 'kubectl' },
  ...(existsSync(kubectl128) ? [{ version: '1.28', bin: kubectl128 }] : []),
];

const deployment = (image: string, value: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports: [{containerPort: 80}]
        env: [{name: A, value: "${value}"}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: "${value}"}
`;

const crd = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}, color: {type: string}}}
`;

const widget = (size: number) => `
apiVersion: example.com/v1
kind: Widget
metadata: {name: w1}
spec: {size: ${size}, color: red}
`;

describe('kubectl against skiff up', () => {
  let skiff: SkiffProcess;
  before(async () => {
    skiff = await startSkiff(['--runtime', 'simulated']);
  });
  after(async () => {
    await skiff?.stop();
  });

  const ok = async (args: string[], input?: string) => {
    const result = await skiff.kubectl(args, input);
    assert.equal(result.code, 0, `kubectl ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  };

  it('reports a 1.32 server and serves discovery', async () => {
    assert.match(await ok(['version']), /Server Version: v1\.32\.\d+/);
    const resources = await ok(['api-resources']);
    assert.match(resources, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    assert.match(resources, /^pods\s+po\s+v1\s+true\s+Pod$/m);
    assert.equal(await ok(['get', '--raw', '/readyz']), 'ok');
  });

  it('lists the system namespaces', async () => {
    const out = await ok(['get', 'ns']);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
      assert.match(out, new RegExp(`^${ns}\\s+Active`, 'm'));
  });

  it('creates a namespace from a manifest', async () => {
    assert.equal(
      (await ok(['create', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n')).trim(),
      'namespace/team-a created',
    );
    assert.match(await ok(['get', 'sa', '-n', 'team-a']), /^default\s+0\s+/m);
  });

  it('applies a deployment, a service and a configmap, then a changed second apply', async () => {
    const first = await ok(['apply', '-f', '-'], deployment('nginx:1.27', '1'));
    assert.equal(first.trim(), 'deployment.apps/web created\nservice/web created\nconfigmap/settings created');
    const second = await ok(['apply', '-f', '-'], deployment('nginx:1.28', '2'));
    assert.equal(second.trim(), 'deployment.apps/web configured\nservice/web unchanged\nconfigmap/settings configured');
    const container = JSON.parse(
      await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0]}']),
    );
    assert.equal(container.image, 'nginx:1.28');
    assert.deepEqual(container.env, [{ name: 'A', value: '2' }]);
    assert.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.generation}']), '2');
  });

  it('prints tables, yaml and all namespaces', async () => {
    assert.match(
      await ok(['get', 'deploy']),
      /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/2\s+[0-2]\s+0\s+\d+s$/m,
    );
    assert.match(await ok(['get', 'svc', 'web', '-o', 'wide']), /^web\s+ClusterIP\s+.*80\/TCP\s+\d+s\s+app=web$/m);
    const yaml = await ok(['get', 'cm', 'settings', '-o', 'yaml']);
    assert.match(yaml, /^kind: ConfigMap$/m);
    assert.match(yaml, /^ {2}resourceVersion: "\d+"$/m);
    assert.match(await ok(['get', 'cm', '-A']), /^default\s+settings\s+1\s+\d+s$/m);
  });

  it('labels, annotates and scales through the scale subresource', async () => {
    assert.equal((await ok(['label', 'deploy', 'web', 'tier=frontend'])).trim(), 'deployment.apps/web labeled');
    assert.equal((await ok(['annotate', 'deploy', 'web', 'note=hi'])).trim(), 'deployment.apps/web annotated');
    assert.equal((await ok(['scale', 'deploy', 'web', '--replicas=5'])).trim(), 'deployment.apps/web scaled');
    const d = JSON.parse(await ok(['get', 'deploy', 'web', '-o', 'json']));
    assert.equal(d.spec.replicas, 5);
    assert.equal(d.metadata.labels.tier, 'frontend');
    assert.equal(d.metadata.annotations.note, 'hi');
  });

  it('serves a CRD and its custom resources, first and changed apply', async () => {
    assert.equal(
      (await ok(['apply', '-f', '-'], crd)).trim(),
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created',
    );
    assert.equal((await ok(['apply', '-f', '-'], widget(3))).trim(), 'widget.example.com/w1 created');
    assert.equal((await ok(['apply', '-f', '-'], widget(5))).trim(), 'widget.example.com/w1 configured');
    assert.match(await ok(['get', 'widgets']), /^NAME\s+SIZE\nw1\s+5$/m);
    assert.match(await ok(['get', 'wd', 'w1', '-o', 'jsonpath={.spec.color}']), /^red$/);
  });

  it('watches changes with get -w', async () => {
    const watch = skiff.kubectl(['get', 'cm', '-w', '--request-timeout=6s']);
    await new Promise((r) => setTimeout(r, 1500));
    await ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched}\ndata: {a: b}\n');
    await ok(['delete', 'cm', 'watched']);
    const { stdout } = await watch;
    assert.match(stdout, /^settings\s+1\s+/m);
    assert.ok((stdout.match(/^watched\s+1\s+/gm) ?? []).length >= 2, stdout);
  });

  for (const { version, bin } of kubectls) {
    it(`kubectl ${version}: a Secret's stringData is merged into data and not kept`, async () => {
      const name = `creds-${version.replace('.', '')}`;
      const secret = `apiVersion: v1
kind: Secret
metadata: {name: ${name}}
data: {user: YWRtaW4=}
stringData: {password: s3cret, user: root}
`;
      const env = { KUBECONFIG: skiff.kubeconfig };
      const applied = await run(bin, ['apply', '-f', '-'], { env, input: secret });
      assert.equal(applied.code, 0, applied.stderr);
      const got = JSON.parse((await run(bin, ['get', 'secret', name, '-o', 'json'], { env })).stdout);
      assert.equal(got.stringData, undefined);
      assert.deepEqual(got.data, {
        password: Buffer.from('s3cret').toString('base64'),
        user: Buffer.from('root').toString('base64'),
      });
    });
  }

  it('deletes and waits until objects are gone', async () => {
    const waiting = skiff.kubectl(['wait', '--for=delete', 'cm/settings', '--timeout=20s']);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await ok(['delete', 'cm', 'settings'])).trim(), 'configmap "settings" deleted');
    assert.equal((await waiting).code, 0);
    assert.equal((await ok(['delete', 'deploy', 'web'])).trim(), 'deployment.apps "web" deleted');
    const gone = await skiff.kubectl(['get', 'deploy', 'web']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /Error from server \(NotFound\): deployments.apps "web" not found/);
  });

  it('deletes a namespace with its content', async () => {
    await ok(['create', 'configmap', 'inside', '-n', 'team-a', '--from-literal=a=b']);
    assert.equal((await ok(['delete', 'namespace', 'team-a'])).trim(), 'namespace "team-a" deleted');
    const gone = await skiff.kubectl(['get', 'ns', 'team-a']);
    assert.match(gone.stderr, /namespaces "team-a" not found/);
  });
});

describe('kubectl create <kind> (protobuf bodies)', () => {
  let skiff: SkiffProcess;
  before(async () => {
    skiff = await startSkiff(['--runtime', 'simulated']);
  });
  after(async () => {
    await skiff?.stop();
  });

  it('creates namespaces, configmaps, secrets, deployments and services', async () => {
    const commands: [string[], string][] = [
      [['create', 'namespace', 'team-b'], 'namespace/team-b created'],
      [['create', 'configmap', 'cfg', '--from-literal=a=b'], 'configmap/cfg created'],
      [['create', 'secret', 'generic', 's1', '--from-literal=k=v'], 'secret/s1 created'],
      [['create', 'deployment', 'web', '--image=nginx', '--replicas=3'], 'deployment.apps/web created'],
      [['create', 'service', 'clusterip', 'web', '--tcp=80:8080'], 'service/web created'],
    ];
    for (const [args, expected] of commands) {
      const result = await skiff.kubectl(args);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.trim(), expected);
    }
    const secret = JSON.parse((await skiff.kubectl(['get', 'secret', 's1', '-o', 'json'])).stdout);
    assert.equal(Buffer.from(secret.data.k, 'base64').toString(), 'v');
    const deploy = JSON.parse((await skiff.kubectl(['get', 'deploy', 'web', '-o', 'json'])).stdout);
    assert.equal(deploy.spec.replicas, 3);
    assert.equal(deploy.spec.template.spec.containers[0].image, 'nginx');
    assert.match(deploy.metadata.creationTimestamp, /^\d{4}-/);
  });

  it('answers auth can-i and generates a job selector', async () => {
    assert.equal((await skiff.kubectl(['auth', 'can-i', 'create', 'pods'])).stdout.trim(), 'yes');
    assert.equal((await skiff.kubectl(['create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi'])).code, 0);
    const job = JSON.parse((await skiff.kubectl(['get', 'job', 'once', '-o', 'json'])).stdout);
    const uid = job.metadata.uid;
    assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    assert.equal(job.spec.template.metadata.labels['job-name'], 'once');
  });
});

describe('controllers in skiff up', () => {
  let skiff: SkiffProcess;
  before(async () => {
    skiff = await startSkiff(['--runtime', 'simulated']);
  });
  after(async () => {
    await skiff?.stop();
  });

  const replicaSet = (name: string) => `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: ${name}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: nginx}]}
`;
  const podsOf = async (name: string) =>
    (await skiff.kubectl(['get', 'pods', '-l', `app=${name}`, '-o', 'name'])).stdout.split('\n').filter(Boolean);
  const eventually = async (check: () => Promise<boolean>, what: string) => {
    const deadline = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  it('makes a replica set’s pods, and deletes them with it (background cascade)', async () => {
    assert.equal((await skiff.kubectl(['apply', '-f', '-'], replicaSet('bg'))).code, 0);
    await eventually(async () => (await podsOf('bg')).length === 2, 'two pods');
    const events = await skiff.kubectl(['get', 'events', '--field-selector', 'reason=SuccessfulCreate']);
    assert.match(events.stdout, /SuccessfulCreate\s+replicaset\/bg\s+Created pod: bg-/);
    assert.equal((await skiff.kubectl(['delete', 'rs', 'bg'])).code, 0);
    await eventually(async () => (await podsOf('bg')).length === 0, 'pods deleted');
  });

  it('runs a replication controller: kubectl get all lists it, scale and delete reach its pods', async () => {
    const rc = `
apiVersion: v1
kind: ReplicationController
metadata: {name: legacy}
spec:
  replicas: 2
  template:
    metadata: {labels: {app: legacy}}
    spec: {containers: [{name: c, image: nginx}]}
`;
    assert.equal((await skiff.kubectl(['apply', '-f', '-'], rc)).code, 0);
    await eventually(async () => (await podsOf('legacy')).length === 2, 'two pods');
    for (const { bin } of kubectls) {
      const all = await run(bin, ['get', 'all'], { env: { KUBECONFIG: skiff.kubeconfig } });
      assert.match(all.stdout, /replicationcontroller\/legacy\s+2\s+2\s+\d+/, bin);
    }
    const got = JSON.parse((await skiff.kubectl(['get', 'rc', 'legacy', '-o', 'json'])).stdout);
    assert.deepEqual(got.spec.selector, { app: 'legacy' });
    assert.equal((await skiff.kubectl(['scale', 'rc', 'legacy', '--replicas=3'])).code, 0);
    await eventually(async () => (await podsOf('legacy')).length === 3, 'three pods');
    const events = await skiff.kubectl(['get', 'events', '--field-selector', 'reason=SuccessfulCreate']);
    assert.match(events.stdout, /replicationcontroller\/legacy\s+Created pod: legacy-/);
    assert.equal((await skiff.kubectl(['delete', 'rc', 'legacy'])).code, 0);
    await eventually(async () => (await podsOf('legacy')).length === 0, 'pods deleted');
  });

  it('turns a deployment into a replica set and pods', async () => {
    assert.equal((await skiff.kubectl(['create', 'deployment', 'dep', '--image=nginx', '--replicas=3'])).code, 0);
    await eventually(async () => (await podsOf('dep')).length === 3, 'three pods');
    const rs = JSON.parse((await skiff.kubectl(['get', 'rs', '-l', 'app=dep', '-o', 'json'])).stdout).items;
    assert.equal(rs.length, 1);
    assert.match(rs[0].metadata.name, /^dep-[a-z0-9]+$/);
    assert.equal(rs[0].metadata.annotations['deployment.kubernetes.io/revision'], '1');
    const events = await skiff.kubectl(['get', 'events', '--field-selector', 'reason=ScalingReplicaSet']);
    assert.match(events.stdout, /Scaled up replica set dep-\w+ from 0 to 3/);
  });

  it('orphans pods with --cascade=orphan and waits for them with --cascade=foreground', async () => {
    await skiff.kubectl(['apply', '-f', '-'], replicaSet('orph'));
    await eventually(async () => (await podsOf('orph')).length === 2, 'two pods');
    assert.equal((await skiff.kubectl(['delete', 'rs', 'orph', '--cascade=orphan'])).code, 0);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await podsOf('orph')).length, 2);
    await skiff.kubectl(['apply', '-f', '-'], replicaSet('fg'));
    await eventually(async () => (await podsOf('fg')).length === 2, 'two pods');
    assert.equal((await skiff.kubectl(['delete', 'rs', 'fg', '--cascade=foreground'])).code, 0);
    assert.equal((await podsOf('fg')).length, 0);
  });
});
