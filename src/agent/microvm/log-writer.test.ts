// The host writes a micro-VM container's output as containerd does: one CRI line per line, a split line joined,
// an over-long line cut into P parts, the unfinished last line written at the end.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseLogLine } from '../engine/logs/format.js';
import { CriLogWriter, logTime } from './log-writer.js';

test('output frames become CRI log lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vmlog-'));
  try {
    const writer = new CriLogWriter(join(dir, 'c', '0.log'));
    writer.write('stdout', Buffer.from('hello\nwor'));
    writer.write('stderr', Buffer.from('oops\n'));
    writer.write('stdout', Buffer.from('ld\n'));
    writer.write('stdout', Buffer.from('x'.repeat(20_000)));
    writer.write('stdout', Buffer.from('tail'));
    writer.close();
    const lines = readFileSync(join(dir, 'c', '0.log'), 'utf8')
      .trimEnd()
      .split('\n')
      .map(parseLogLine);
    assert.deepEqual(
      lines.map((l) => [l!.stream, l!.partial, l!.text.length > 20 ? `${l!.text.length}` : l!.text]),
      [
        ['stdout', false, 'hello'],
        ['stderr', false, 'oops'],
        ['stdout', false, 'world'],
        ['stdout', true, '16384'],
        ['stdout', false, '3620'],
      ],
    );
    assert.match(lines[0]!.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    assert.equal(logTime(Date.UTC(2026, 0, 2, 3, 4, 5, 67)), '2026-01-02T03:04:05.067000000Z');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
