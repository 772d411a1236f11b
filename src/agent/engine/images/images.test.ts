// Pull policy, pull-secret matching, the kubelet's event texts and the pull back-off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authsForImage, registryOf } from './auth.js';
import { PullBackOff } from './backoff.js';
import { goDuration, imageEvents } from './events.js';
import { defaultPullPolicy, shouldPull } from './policy.js';

test('the :latest rule and the three policies', () => {
  assert.equal(defaultPullPolicy('nginx'), 'Always');
  assert.equal(defaultPullPolicy('nginx:latest'), 'Always');
  assert.equal(defaultPullPolicy('nginx:1.27'), 'IfNotPresent');
  assert.equal(defaultPullPolicy('127.0.0.1:5000/a/b'), 'Always');
  assert.equal(defaultPullPolicy('127.0.0.1:5000/a/b:2'), 'IfNotPresent');
  assert.equal(defaultPullPolicy(`nginx@sha256:${'a'.repeat(64)}`), 'IfNotPresent');
  assert.equal(shouldPull('Always', 'x:1', true), true);
  assert.equal(shouldPull('IfNotPresent', 'x:1', true), false);
  assert.equal(shouldPull('IfNotPresent', 'x:1', false), true);
  assert.equal(shouldPull('Never', 'x:1', false), false);
  assert.equal(shouldPull(undefined, 'x', true), true);
});

test('dockerconfigjson secrets become CRI auth for the image registry only', () => {
  const json = {
    auths: {
      'https://index.docker.io/v1/': { auth: Buffer.from('hub:hubpw').toString('base64') },
      '127.0.0.1:5000': { username: 'u', password: 'p' },
      '127.0.0.1:5000/team': { username: 'team', password: 'tp' },
    },
  };
  const secret = {
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify(json)).toString('base64') },
  };
  assert.equal(registryOf('busybox'), 'docker.io');
  assert.equal(registryOf('library/busybox:1'), 'docker.io');
  assert.equal(registryOf('localhost/x'), 'localhost');
  assert.deepEqual(
    authsForImage('busybox:1.36', [secret]).map((a) => [a.username, a.password]),
    [['hub', 'hubpw']],
  );
  assert.deepEqual(
    authsForImage('127.0.0.1:5000/team/app:1', [secret]).map((a) => a.username),
    ['team', 'u'],
  );
  assert.deepEqual(authsForImage('quay.io/x/y', [secret]), []);
});

test('event texts match the kubelet', () => {
  assert.equal(goDuration(313), '313ms');
  assert.equal(goDuration(1594.7), '1.594s');
  assert.equal(goDuration(43_258), '43.258s');
  assert.equal(goDuration(62_500), '1m2.5s');
  assert.equal(goDuration(60_000), '1m0s');
  assert.equal(
    imageEvents.pulled('nginx:1.27', 1234, 1500, 68857691).message,
    'Successfully pulled image "nginx:1.27" in 1.234s (1.5s including waiting). Image size: 68857691 bytes.',
  );
  assert.equal(imageEvents.pulling('nginx').message, 'Pulling image "nginx"');
  assert.equal(imageEvents.backOff('nginx').message, 'Back-off pulling image "nginx"');
  assert.deepEqual(imageEvents.errorReason('ErrImagePull'), {
    type: 'Warning',
    reason: 'Failed',
    message: 'Error: ErrImagePull',
  });
});

test('back-off doubles from 10 s to 300 s and resets on success', () => {
  let now = 0;
  const b = new PullBackOff(10_000, 300_000, () => now);
  assert.equal(b.inBackOff('k'), false);
  const delays = [1, 2, 3, 4, 5, 6, 7].map(() => {
    const d = b.failed('k');
    now += d;
    return d;
  });
  assert.deepEqual(delays, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  b.failed('k');
  now += 1000;
  assert.equal(b.inBackOff('k'), true);
  b.succeeded('k');
  assert.equal(b.inBackOff('k'), false);
});
