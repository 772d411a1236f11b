// The base runtime spec: containerd's default with the pod contract's rlimits and no blanket no_new_privs.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { baseRuntimeSpec } from './base-spec.js';

it('sets the rlimits and leaves no_new_privs to the securityContext', () => {
  const defaults = JSON.stringify({
    ociVersion: '1.0.2-dev',
    process: { noNewPrivileges: true, rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }], cwd: '/' },
    linux: { maskedPaths: ['/proc/kcore'] },
  });
  const spec = JSON.parse(
    baseRuntimeSpec(defaults, [
      { name: 'nofile', soft: 1024, hard: 20000 },
      { name: 'nproc', soft: 1024, hard: 65535 },
    ]),
  );
  assert.deepEqual(spec.process.rlimits, [
    { type: 'RLIMIT_NOFILE', hard: 20000, soft: 1024 },
    { type: 'RLIMIT_NPROC', hard: 65535, soft: 1024 },
  ]);
  assert.equal(spec.process.noNewPrivileges, false);
  assert.deepEqual(spec.linux.maskedPaths, ['/proc/kcore']);
});
