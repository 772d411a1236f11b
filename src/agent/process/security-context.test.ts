// securityContext to CRI (container over pod, fsGroup among the supplemental groups, no_new_privs), the kubelet's
// runAsNonRoot messages, the Fargate pids limit, and the rlimits with the host's cap stated.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heartbeatConditions } from '../node-heartbeat.js';
import { fakePod } from '../testing/fake-runtime.js';
import { podPidsLimit } from './pids.js';
import { effectiveRlimits, ownHardLimits, rlimitCapNote } from './rlimits.js';
import { criSecurityContext, runAsNonRootViolation } from './security-context.js';

describe('securityContext', () => {
  it('maps pod and container fields, the container winning', () => {
    const pod = fakePod({
      securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000] },
    });
    const container = {
      name: 'c',
      image: 'b',
      securityContext: {
        runAsUser: 1001,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
      },
    };
    assert.deepEqual(criSecurityContext(pod, container), {
      runAsUser: { value: 1001 },
      runAsGroup: { value: 3000 },
      supplementalGroups: [4000, 2000],
      readonlyRootfs: true,
      capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] },
      noNewPrivs: true,
    });
    assert.deepEqual(criSecurityContext(fakePod({}), { name: 'c', image: 'b' }), {});
  });

  it('refuses a root image under runAsNonRoot as the kubelet does', () => {
    const pod = fakePod({ securityContext: { runAsNonRoot: true } });
    const c = { name: 'c', image: 'b' };
    assert.equal(
      runAsNonRootViolation(pod, c, {}),
      'container has runAsNonRoot and image will run as root (pod: "p_default(uid-p)", container: c)',
    );
    assert.equal(runAsNonRootViolation(pod, c, { uid: 0 }), runAsNonRootViolation(pod, c, {}));
    assert.equal(runAsNonRootViolation(pod, c, { uid: 1000 }), undefined);
    assert.match(runAsNonRootViolation(pod, c, { username: 'app' })!, /image has non-numeric user \(app\)/);
    const runAs = { ...c, securityContext: { runAsUser: 0 } };
    assert.match(runAsNonRootViolation(pod, runAs, {})!, /^container's runAsUser breaks non-root policy/);
    assert.equal(runAsNonRootViolation(fakePod({}), c, {}), undefined);
  });
});

describe('pids and rlimits', () => {
  it('gives Fargate pods the threads-max of their provisioned memory, node-group pods none', () => {
    assert.equal(podPidsLimit({ cpuMillis: 250, memoryBytes: 512 * 1024 ** 2 }), 4096);
    assert.equal(podPidsLimit({ cpuMillis: 1000, memoryBytes: 4 * 1024 ** 3 }), 32768);
    assert.equal(podPidsLimit(undefined), undefined);
  });

  it('clamps hard limits to the host and says so in the Ready message', () => {
    const limits = [
      'Limit                     Soft Limit           Hard Limit           Units',
      'Max processes             96367                96367                processes',
      'Max open files            20000                20000                files',
    ].join('\n');
    const hard = ownHardLimits(limits);
    assert.deepEqual(hard, { nofile: 20000, nproc: 96367 });
    assert.deepEqual(
      effectiveRlimits(hard).map((l) => [l.name, l.soft, l.hard]),
      [
        ['nofile', 1024, 20000],
        ['nproc', 1024, 65535],
      ],
    );
    const note = rlimitCapNote(hard)!;
    assert.equal(
      note,
      'container nofile hard limit capped at 20000 (Fargate: 65535): this host allows no more without CAP_SYS_RESOURCE',
    );
    assert.equal(rlimitCapNote({ nofile: Infinity, nproc: Infinity }), undefined);
    const ready = heartbeatConditions([], '2026-01-01T00:00:00Z', note).find((c) => c.type === 'Ready');
    assert.equal(ready.message, `kubelet is posting ready status. ${note}`);
  });
});
