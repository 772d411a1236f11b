// The atomic writer: the kubelet's layout (timestamped dir, ..data, visible symlinks), modes, nothing rewritten
// when nothing changed, a swap when something did (old files and names gone), and path checks.
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type Payload, validatePath, writeAtomic } from './atomic-writer.js';

const root = mkdtempSync(join(tmpdir(), 'skiff-atomic-'));
after(() => rmSync(root, { recursive: true, force: true }));

const payload = (entries: [string, string, number?][]): Payload =>
  new Map(entries.map(([path, text, mode]) => [path, { data: Buffer.from(text), mode: mode ?? 0o644 }]));

describe('writeAtomic', () => {
  it('lays files out behind ..data and swaps on change', () => {
    const dir = join(root, 'cm');
    assert.equal(
      writeAtomic(
        dir,
        payload([
          ['key', 'one'],
          ['nested/deep.txt', 'deep', 0o600],
        ]),
      ),
      true,
    );
    const first = readlinkSync(join(dir, '..data'));
    assert.match(first, /^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d{9}$/);
    assert.equal(readlinkSync(join(dir, 'key')), '..data/key');
    assert.equal(readlinkSync(join(dir, 'nested')), '..data/nested');
    assert.equal(readFileSync(join(dir, 'key'), 'utf8'), 'one');
    assert.equal(statSync(join(dir, 'nested/deep.txt')).mode & 0o777, 0o600);

    assert.equal(
      writeAtomic(
        dir,
        payload([
          ['key', 'one'],
          ['nested/deep.txt', 'deep', 0o600],
        ]),
      ),
      false,
    );
    assert.equal(readlinkSync(join(dir, '..data')), first, 'unchanged payload: no new directory');

    assert.equal(writeAtomic(dir, payload([['key', 'two']])), true);
    const second = readlinkSync(join(dir, '..data'));
    assert.notEqual(second, first);
    assert.equal(readFileSync(join(dir, 'key'), 'utf8'), 'two');
    assert.deepEqual(readdirSync(dir).sort(), [second, '..data', 'key'].sort());
    assert.ok(lstatSync(join(dir, 'key')).isSymbolicLink());
  });

  it('gives files to the fsGroup', () => {
    if (process.getuid?.() !== 0) return;
    const dir = join(root, 'grouped');
    writeAtomic(dir, payload([['k', 'v', 0o600]]), { gid: 2000, readOnly: true });
    const stat = statSync(join(dir, 'k'));
    assert.equal(stat.gid, 2000);
    assert.equal(stat.mode & 0o777, 0o640);
  });

  it('refuses unsafe paths', () => {
    assert.match(validatePath('../x') ?? '', /must not contain '\.\.'/);
    assert.match(validatePath('/abs') ?? '', /must be relative path/);
    assert.match(validatePath('..hidden') ?? '', /must not start with '\.\.'/);
    assert.equal(validatePath('a/b'), undefined);
    assert.throws(() => writeAtomic(join(root, 'bad'), payload([['../x', 'v']])));
  });
});
