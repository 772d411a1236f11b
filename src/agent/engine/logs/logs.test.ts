// CRI log lines: parsing, partial lines, tail/since/timestamps/stream, rotated files, follow across a rotation.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseLogLine } from './format.js';
import { readContainerLog, readContainerLogText } from './reader.js';

test('parses full and partial lines', () => {
  assert.deepEqual(parseLogLine('2024-01-01T00:00:00.123456789Z stdout F hello world'), {
    time: '2024-01-01T00:00:00.123456789Z',
    stream: 'stdout',
    partial: false,
    text: 'hello world',
  });
  assert.equal(parseLogLine('2024-01-01T00:00:00Z stderr P abc')?.partial, true);
  assert.equal(parseLogLine('garbage'), undefined);
});

test('tail, since, timestamps, streams and rotated files; follow survives rotation', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-logs-'));
  try {
    const log = join(dir, '0.log');
    writeFileSync(`${log}.20240101-000000`, '2024-01-01T00:00:01.000000000Z stdout F one\n');
    writeFileSync(
      log,
      [
        '2024-01-01T00:00:02.000000000Z stdout P tw',
        '2024-01-01T00:00:02.500000000Z stdout F o',
        '2024-01-01T00:00:03.000000000Z stderr F three',
        '2024-01-01T00:00:04.000000000Z stdout F four',
        '',
      ].join('\n'),
    );
    assert.equal(await readContainerLogText(log), 'one\ntwo\nthree\nfour\n');
    assert.equal(await readContainerLogText(log, { tail: 2 }), 'three\nfour\n');
    assert.equal(await readContainerLogText(log, { stream: 'stderr' }), 'three\n');
    assert.equal(await readContainerLogText(log, { sinceMs: Date.parse('2024-01-01T00:00:03Z') }), 'three\nfour\n');
    assert.equal(
      await readContainerLogText(log, { tail: 1, timestamps: true }),
      '2024-01-01T00:00:04.000000000Z four\n',
    );

    const controller = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const line of readContainerLog(log, {
        tail: 0,
        follow: true,
        pollMs: 20,
        signal: controller.signal,
      })) {
        seen.push(line);
        if (seen.length === 2) controller.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 60));
    appendFileSync(log, '2024-01-01T00:00:05.000000000Z stdout F five\n');
    await new Promise((r) => setTimeout(r, 60));
    renameSync(log, `${log}.20240101-000010`);
    writeFileSync(log, '2024-01-01T00:00:06.000000000Z stdout F six\n');
    await reading;
    assert.deepEqual(seen, ['five\n', 'six\n']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
