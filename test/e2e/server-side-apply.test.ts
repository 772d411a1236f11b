// Server-side apply and managed fields with the real kubectl 1.32 and 1.28 against `skiff up`:
// ownership per kubectl verb, a conflict with the manager that scaled, --force-conflicts, the move from client-side
// to server-side apply, and managed fields shown only with --show-managed-fields.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { run, type SkiffProcess, startSkiff } from './harness/skiff.js';

const kubectl128 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.28';
const kubectls = [
  { version: '1.32', binary: 'kubectl' },
  ...(existsSync(kubectl128) ? [{ version: '1.28', binary: kubectl128 }] : []),
];

const manifest = (replicas: number, image = 'nginx:1.27') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: ${image}}]
`;

describe('server-side apply and managed fields', () => {
  let skiff: SkiffProcess;
  before(async () => {
    skiff = await startSkiff(['--runtime', 'simulated']);
  });
  after(async () => {
    await skiff?.stop();
  });

  const kubectl = (args: string[], input?: string, binary = 'kubectl') =>
    binary === 'kubectl'
      ? skiff.kubectl(args, input)
      : run(binary, args, { env: { KUBECONFIG: skiff.kubeconfig }, input });
  const managers = async (name: string, ns = 'default') => {
    const got = await kubectl(['get', '-n', ns, 'deploy', name, '-o', 'json', '--show-managed-fields']);
    return JSON.parse(got.stdout).metadata.managedFields.map((e: any) => `${e.manager}/${e.operation}`);
  };

  for (const { version, binary } of kubectls) {
    const ns = `ssa-${version.replace('.', '')}`;
    it(`kubectl ${version}: a scale takes replicas from the applier; a second apply conflicts until forced`, async () => {
      await kubectl(['create', 'namespace', ns]);
      const applied = await kubectl(['apply', '-n', ns, '--server-side', '-f', '-'], manifest(2), binary);
      assert.equal(applied.code, 0, applied.stderr);
      assert.match(applied.stdout, /deployment.apps\/web serverside-applied/);
      const scaled = await kubectl(['scale', '-n', ns, 'deploy', 'web', '--replicas=4'], undefined, binary);
      assert.equal(scaled.code, 0, scaled.stderr);
      const conflict = await kubectl(['apply', '-n', ns, '--server-side', '-f', '-'], manifest(3), binary);
      assert.notEqual(conflict.code, 0);
      assert.match(
        conflict.stderr,
        /Apply failed with 1 conflict: conflict with "kubectl[^"]*"( with subresource "scale")?( using apps\/v1)?: \.spec\.replicas/,
      );
      const forced = await kubectl(
        ['apply', '-n', ns, '--server-side', '--force-conflicts', '-f', '-'],
        manifest(3),
        binary,
      );
      assert.equal(forced.code, 0, forced.stderr);
      const got = JSON.parse((await kubectl(['get', '-n', ns, 'deploy', 'web', '-o', 'json'])).stdout);
      assert.equal(got.spec.replicas, 3);
      const hidden = await kubectl(['get', '-n', ns, 'deploy', 'web', '-o', 'yaml'], undefined, binary);
      assert.doesNotMatch(hidden.stdout, /managedFields/);
      const shown = await kubectl(
        ['get', '-n', ns, 'deploy', 'web', '-o', 'yaml', '--show-managed-fields'],
        undefined,
        binary,
      );
      assert.match(shown.stdout, /manager: kubectl/);
      assert.match(shown.stdout, /operation: Apply/);
    });

    it(`kubectl ${version}: records the manager of each kubectl verb`, async () => {
      const run = (...args: string[]) => kubectl(['-n', ns, ...args], undefined, binary);
      await run('create', 'deployment', 'verbs', '--image=nginx');
      await run('label', 'deploy', 'verbs', 'tier=web');
      await run('annotate', 'deploy', 'verbs', 'note=hi');
      await run('set', 'image', 'deploy/verbs', 'nginx=nginx:1.27');
      const seen = await managers('verbs', ns);
      for (const manager of [
        'kubectl-create/Update',
        'kubectl-label/Update',
        'kubectl-annotate/Update',
        'kubectl-set/Update',
      ]) {
        assert.ok(seen.includes(manager), `${manager} in ${seen.join(', ')}`);
      }
    });

    it(`kubectl ${version}: moves ownership from client-side to server-side apply without conflicts`, async () => {
      const moved = manifest(2).replace('name: web,', 'name: moved,');
      const client = await kubectl(['apply', '-n', ns, '-f', '-'], moved, binary);
      assert.equal(client.code, 0, client.stderr);
      assert.ok((await managers('moved', ns)).includes('kubectl-client-side-apply/Update'));
      const server = await kubectl(
        ['apply', '-n', ns, '--server-side', '-f', '-'],
        manifest(5).replace('name: web,', 'name: moved,'),
        binary,
      );
      assert.equal(server.code, 0, server.stderr);
      const got = JSON.parse((await kubectl(['get', '-n', ns, 'deploy', 'moved', '-o', 'json'])).stdout);
      assert.equal(got.spec.replicas, 5);
      assert.ok((await managers('moved', ns)).includes('kubectl/Apply'));
    });
  }
});
