// The kubelet's choice of profile: container over pod, Unconfined when neither says, Localhost under the seccomp root.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SandboxPod } from '../driver.js';
import { seccompProfileOf } from './choose.js';

const pod = (podProfile?: object): SandboxPod =>
  ({ name: 'p', namespace: 'ns', uid: 'u', pod: { spec: { securityContext: { seccompProfile: podProfile } } } }) as any;

test('container over pod, Unconfined by default', () => {
  assert.deepEqual(seccompProfileOf(pod(), { name: 'c' } as any, '/d/seccomp'), { profileType: 'Unconfined' });
  assert.deepEqual(seccompProfileOf(pod({ type: 'RuntimeDefault' }), { name: 'c' } as any, '/d/seccomp'), {
    profileType: 'RuntimeDefault',
  });
  const unconfined = { name: 'c', securityContext: { seccompProfile: { type: 'Unconfined' } } } as any;
  assert.deepEqual(seccompProfileOf(pod({ type: 'RuntimeDefault' }), unconfined, '/d/seccomp'), {
    profileType: 'Unconfined',
  });
});

test('Localhost names a file under the seccomp root, never outside it', () => {
  const local = (name?: string) =>
    ({ name: 'c', securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: name } } }) as any;
  assert.deepEqual(seccompProfileOf(pod(), local('profiles/audit.json'), '/d/seccomp'), {
    profileType: 'Localhost',
    localhostRef: '/d/seccomp/profiles/audit.json',
  });
  assert.match((seccompProfileOf(pod(), local('../../etc/x'), '/d/seccomp') as any).error, /descending path/);
  assert.match((seccompProfileOf(pod(), local(), '/d/seccomp') as any).error, /localhostProfile must be set/);
});
