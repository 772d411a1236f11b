// The kubelet's AppArmor admission: which pods ask for a profile (field or deprecated annotation, Unconfined
// excepted), and the refusal's texts with and without AppArmor on the host.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { appArmorRefusal, hostAppArmorEnabled, requiresAppArmor } from './apparmor.js';

const pod = (spec: object = {}, annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', annotations },
  spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec },
});

it('a profile other than Unconfined, on the pod, a container or the annotation, requires AppArmor', () => {
  assert.equal(requiresAppArmor(pod()), false);
  assert.equal(requiresAppArmor(pod({ securityContext: { appArmorProfile: { type: 'Unconfined' } } })), false);
  assert.equal(requiresAppArmor(pod({ securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } })), true);
  const localhost = { appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-deny-write' } };
  assert.equal(
    requiresAppArmor(pod({ initContainers: [{ name: 'init', image: 'busybox', securityContext: localhost }] })),
    true,
  );
  const prefix = 'container.apparmor.security.beta.kubernetes.io/';
  assert.equal(requiresAppArmor(pod({}, { [`${prefix}app`]: 'unconfined' })), false);
  assert.equal(requiresAppArmor(pod({}, { [`${prefix}app`]: 'runtime/default' })), true);
});

it("refuses with the kubelet's text when the host has no AppArmor, and says the driver's limit when it has", () => {
  const confined = pod({ securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } });
  assert.deepEqual(appArmorRefusal(confined, 'process', false), {
    reason: 'AppArmor',
    message: 'Cannot enforce AppArmor: AppArmor is not enabled on the host',
  });
  assert.equal(
    appArmorRefusal(confined, 'microvm', true)?.message,
    'Cannot enforce AppArmor: the microvm sandbox driver does not apply AppArmor profiles',
  );
  assert.equal(appArmorRefusal(pod(), 'process', false), undefined);
});

it("reads the host's AppArmor switch as the kubelet does", () => {
  const dir = mkdtempSync(join(tmpdir(), 'apparmor-'));
  try {
    writeFileSync(join(dir, 'enabled'), 'Y\n');
    writeFileSync(join(dir, 'disabled'), 'N\n');
    assert.equal(hostAppArmorEnabled(join(dir, 'enabled')), true);
    assert.equal(hostAppArmorEnabled(join(dir, 'disabled')), false);
    assert.equal(hostAppArmorEnabled(join(dir, 'missing')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
