// Go durations on the command line, and pflag's refusal of one it cannot read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDurationFlag } from './duration.js';

test('reads Go durations', () => {
  const cases: [string, number][] = [
    ['40s', 40_000],
    ['1m0s', 60_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['2h', 7_200_000],
    ['0', 0],
  ];
  for (const [text, ms] of cases) assert.equal(parseDurationFlag(text, '--x'), ms, text);
});

test('refuses what Go would not read', () => {
  assert.throws(
    () => parseDurationFlag('40', '--node-monitor-grace-period'),
    /invalid argument "40" for "--node-monitor-grace-period" flag: time: missing unit in duration "40"/,
  );
  for (const text of ['abc', '1m x', '', 's'])
    assert.throws(
      () => parseDurationFlag(text, '--node-monitor-grace-period'),
      new RegExp(`invalid argument "${text}" for "--node-monitor-grace-period" flag: time: invalid duration "${text}"`),
    );
});
