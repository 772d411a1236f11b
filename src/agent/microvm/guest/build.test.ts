// The initramfs archive: newc headers the kernel unpacks, names NUL-terminated and 4-byte aligned, device numbers
// for /dev/console, and the trailer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpioNewc } from './build.js';

test('a newc archive of a dir, a device and a file, then the trailer', () => {
  const archive = cpioNewc([
    { name: 'dev', mode: 0o40755 },
    { name: 'dev/console', mode: 0o20600, rdev: [5, 1] },
    { name: 'init', mode: 0o100755, data: Buffer.from('#!') },
  ]);
  const entries: { name: string; mode: number; size: number; rdev: [number, number] }[] = [];
  let at = 0;
  while (at < archive.length) {
    const header = archive.subarray(at, at + 110).toString();
    assert.equal(header.slice(0, 6), '070701');
    const field = (i: number) => Number.parseInt(header.slice(6 + i * 8, 14 + i * 8), 16);
    const nameSize = field(11);
    const name = archive.subarray(at + 110, at + 110 + nameSize - 1).toString();
    const dataAt = Math.ceil((at + 110 + nameSize) / 4) * 4;
    entries.push({ name, mode: field(1), size: field(6), rdev: [field(9), field(10)] });
    at = Math.ceil((dataAt + field(6)) / 4) * 4;
  }
  assert.deepEqual(
    entries.map((e) => e.name),
    ['dev', 'dev/console', 'init', 'TRAILER!!!'],
  );
  assert.deepEqual(entries[1]!.rdev, [5, 1]);
  assert.equal(entries[2]!.mode, 0o100755);
  assert.equal(entries[2]!.size, 2);
});
