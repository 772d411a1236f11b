// The guest protocol's framing: frames split anywhere in the byte stream come out whole, bad lengths are refused,
// and a process's key=value payload carries its args, env and mounts in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeExit, encodeFrame, encodeProcess, FrameDecoder, guestFrame, hostFrame } from './protocol.js';

test('frames survive being cut at every byte', () => {
  const frames = [
    encodeFrame(hostFrame.stdin, 7, Buffer.from('hello')),
    encodeFrame(hostFrame.stdinEof, 7),
    encodeFrame(guestFrame.output, 0xfffffffe, Buffer.from([1, 0x41, 0x42])),
  ];
  const bytes = Buffer.concat(frames);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const decoder = new FrameDecoder();
    const got = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))];
    assert.deepEqual(
      got.map((f) => [f.type, f.id, f.payload.toString('hex')]),
      [
        [hostFrame.stdin, 7, Buffer.from('hello').toString('hex')],
        [hostFrame.stdinEof, 7, ''],
        [guestFrame.output, 0xfffffffe, '014142'],
      ],
    );
  }
});

test('a frame shorter than its header or longer than the guest reads is a broken stream', () => {
  const bad = Buffer.alloc(9);
  bad.writeUInt32LE(3, 0);
  assert.throws(() => new FrameDecoder().push(bad), /bad frame length 3/);
  bad.writeUInt32LE(2 ** 21, 0);
  assert.throws(() => new FrameDecoder().push(bad), /bad frame length/);
});

test('a process is NUL-separated key=value fields, repeated ones in order', () => {
  const payload = encodeProcess({
    root: '/pod/c/app-0',
    args: ['sh', '-c', 'echo a=b'],
    env: ['PATH=/bin', 'EMPTY='],
    cwd: '/',
    uid: 1000,
    gid: 1000,
    groups: [1000, 5],
    tty: false,
    stdin: true,
    nofile: [1024, 65535],
    memory: 536870912,
    mounts: [{ source: '/pod/m/app-0/0', target: '/etc/hosts', readOnly: true }],
  });
  const fields = payload.toString().split('\0');
  assert.equal(fields.pop(), '');
  assert.deepEqual(fields, [
    'root=/pod/c/app-0',
    'cwd=/',
    'uid=1000',
    'gid=1000',
    'groups=1000,5',
    'tty=0',
    'stdin=1',
    'nofile=1024:65535',
    'memory=536870912',
    'mount=/pod/m/app-0/0\x1f/etc/hosts\x1fro',
    'arg=sh',
    'arg=-c',
    'arg=echo a=b',
    'env=PATH=/bin',
    'env=EMPTY=',
  ]);
  assert.throws(
    () => encodeProcess({ args: ['a\0b'], env: [], uid: 0, gid: 0, groups: [], tty: false, stdin: false, mounts: [] }),
    /NUL/,
  );
});

test('an exit report is code, signal and the OOM flag', () => {
  const body = Buffer.alloc(12);
  body.writeInt32LE(137, 0);
  body.writeInt32LE(9, 4);
  body.writeInt32LE(1, 8);
  assert.deepEqual(decodeExit(body), { exitCode: 137, signal: 9, oomKilled: true });
});
