// How a container's process is made from its image and spec, as containerd's CRI does: command/args against
// entrypoint/cmd, env overrides, and the user from runAsUser or the image's User through /etc/passwd and /etc/group.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { mergeEnv, processArgs, resolveUser } from './rootfs.js';

test('command replaces the entrypoint and the image cmd; args alone replace only the cmd', () => {
  const image = { Entrypoint: ['/entry'], Cmd: ['serve'] };
  assert.deepEqual(processArgs(image), ['/entry', 'serve']);
  assert.deepEqual(processArgs(image, undefined, ['run']), ['/entry', 'run']);
  assert.deepEqual(processArgs(image, ['sh'], undefined), ['sh']);
  assert.deepEqual(processArgs(image, ['sh'], ['-c', 'x']), ['sh', '-c', 'x']);
  assert.deepEqual(processArgs({}), []);
});

test("the container's env overrides the image's, keeping the image's order", () => {
  assert.deepEqual(
    mergeEnv(
      ['PATH=/bin', 'A=1'],
      [
        { key: 'A', value: '2' },
        { key: 'B', value: '' },
      ],
    ),
    ['PATH=/bin', 'A=2', 'B='],
  );
});

test('users resolve through the rootfs passwd and group files', () => {
  const root = mkdtempSync(join(tmpdir(), 'rootfs-'));
  try {
    mkdirSync(join(root, 'etc'));
    writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\nweb:x:101:102::/home/web:/bin/sh\n');
    writeFileSync(join(root, 'etc/group'), 'root:x:0:\nweb:x:102:\nextra:x:300:web,other\n');
    assert.deepEqual(resolveUser(root, undefined), { uid: 0, gid: 0, groups: [0] });
    assert.deepEqual(resolveUser(root, 'web'), { uid: 101, gid: 102, groups: [102, 300] });
    assert.deepEqual(resolveUser(root, '101:0'), { uid: 101, gid: 0, groups: [0, 300] });
    assert.deepEqual(resolveUser(root, 'web', 2000, 3000, [5]), { uid: 2000, gid: 3000, groups: [3000, 5] });
    assert.throws(() => resolveUser(root, 'nobody-here'), /unable to find user nobody-here/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
