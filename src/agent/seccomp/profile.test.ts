// Profiles are checked when read, and rules resolved by capability as containerd's includes/excludes say.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProfile, rulesFor, runtimeDefaultProfile } from './profile.js';

test('a profile that is not JSON, or names an unknown action or operator, is refused with the file named', () => {
  assert.throws(() => parseProfile('{', 'p.json'), /decoding seccomp profile failed: p.json/);
  assert.throws(() => parseProfile('{"defaultAction":"SCMP_ACT_NOPE"}', 'p.json'), /unsupported defaultAction/);
  assert.throws(
    () =>
      parseProfile(
        '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_ABOUT"}]}]}',
        'p.json',
      ),
    /unsupported operator/,
  );
});

test('includes and excludes by capability', () => {
  const profile = runtimeDefaultProfile();
  const names = (caps: string[]) => new Set(rulesFor(profile, caps).flatMap((r) => r.names));
  assert.equal(names(['CHOWN']).has('mount'), false);
  assert.equal(names(['SYS_ADMIN']).has('mount'), true);
  assert.equal(names(['CAP_SYS_PTRACE']).has('kcmp'), true);
  assert.equal(
    rulesFor(profile, ['SYS_ADMIN']).some((r) => r.names.includes('clone3') && r.action === 'SCMP_ACT_ERRNO'),
    false,
  );
});
