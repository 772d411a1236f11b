// Cron schedules as robfig/cron's ParseStandard reads them: fields, names, steps, descriptors, @every, time
// zones across DST changes, the day-of-month / day-of-week rule, the library's error texts; and the missed-run
// arithmetic the controller builds on it.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseSchedule } from './schedule.js';
import { formatRfc1123z, mostRecentScheduleTime, nextScheduleDelayMs } from './times.js';
import { formatRfc3339 } from './zone.js';

function runs(spec: string, from: string, count: number): string[] {
  const schedule = parseSchedule(spec);
  const out: string[] = [];
  let t = Date.parse(from);
  for (let i = 0; i < count; i++) {
    t = schedule.next(t);
    out.push(new Date(t).toISOString().replace('.000Z', 'Z'));
  }
  return out;
}

it('steps, ranges, lists and names', () => {
  assert.deepEqual(runs('*/15 * * * *', '2025-01-01T10:07:12Z', 3), [
    '2025-01-01T10:15:00Z',
    '2025-01-01T10:30:00Z',
    '2025-01-01T10:45:00Z',
  ]);
  // 2025-01-03 is a Friday.
  assert.deepEqual(runs('0 9 * * MON-FRI', '2025-01-03T10:00:00Z', 2), [
    '2025-01-06T09:00:00Z',
    '2025-01-07T09:00:00Z',
  ]);
  assert.deepEqual(runs('30 8 1 jan,Jul ?', '2025-02-01T00:00:00Z', 2), [
    '2025-07-01T08:30:00Z',
    '2026-01-01T08:30:00Z',
  ]);
  assert.deepEqual(runs('5/20 1-3 * * *', '2025-01-01T00:00:00Z', 4), [
    '2025-01-01T01:05:00Z',
    '2025-01-01T01:25:00Z',
    '2025-01-01T01:45:00Z',
    '2025-01-01T02:05:00Z',
  ]);
  assert.deepEqual(runs('0 0 29 2 *', '2025-01-01T00:00:00Z', 1), ['2028-02-29T00:00:00Z']);
});

it('matches either day field when both are restricted, both when one is a star', () => {
  // The 1st and 15th, and every Monday (Jan 6, 13, 20).
  assert.deepEqual(runs('0 0 1,15 * 1', '2025-01-01T00:00:00Z', 4), [
    '2025-01-06T00:00:00Z',
    '2025-01-13T00:00:00Z',
    '2025-01-15T00:00:00Z',
    '2025-01-20T00:00:00Z',
  ]);
  assert.deepEqual(runs('0 0 * * 1', '2025-01-01T00:00:00Z', 1), ['2025-01-06T00:00:00Z']);
  assert.deepEqual(runs('0 0 */2 * 1', '2025-01-05T00:00:00Z', 2), ['2025-01-06T00:00:00Z', '2025-01-07T00:00:00Z']);
});

it('descriptors and @every', () => {
  assert.deepEqual(runs('@hourly', '2025-01-01T10:00:00Z', 2), ['2025-01-01T11:00:00Z', '2025-01-01T12:00:00Z']);
  assert.deepEqual(runs('@weekly', '2025-01-01T00:00:00Z', 1), ['2025-01-05T00:00:00Z']);
  assert.deepEqual(runs('@yearly', '2025-06-01T00:00:00Z', 1), ['2026-01-01T00:00:00Z']);
  assert.deepEqual(runs('@every 1h30m', '2025-01-01T10:00:00Z', 2), ['2025-01-01T11:30:00Z', '2025-01-01T13:00:00Z']);
});

it('time zones, skipping the hour DST removes and running twice in the hour it repeats', () => {
  assert.deepEqual(runs('TZ=Asia/Tokyo 0 9 * * *', '2025-01-01T00:00:00Z', 1), ['2025-01-02T00:00:00Z']);
  assert.deepEqual(runs('CRON_TZ=America/New_York 30 2 * * *', '2025-03-08T00:00:00Z', 2), [
    '2025-03-08T07:30:00Z',
    '2025-03-10T06:30:00Z',
  ]);
  assert.deepEqual(runs('TZ=America/New_York 30 1 * * *', '2025-11-02T00:00:00Z', 3), [
    '2025-11-02T05:30:00Z',
    '2025-11-02T06:30:00Z',
    '2025-11-03T06:30:00Z',
  ]);
  assert.equal(formatRfc3339(Date.parse('2025-01-01T00:00:00Z'), 'Asia/Tokyo'), '2025-01-01T09:00:00+09:00');
  assert.equal(formatRfc3339(Date.parse('2025-01-01T00:00:00Z'), ''), '2025-01-01T00:00:00Z');
  assert.equal(formatRfc1123z(Date.parse('2025-01-06T09:05:00Z')), 'Mon, 06 Jan 2025 09:05:00 +0000');
});

it("rejects what the library rejects, with the library's messages", () => {
  const cases: [string, string][] = [
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['0 0 * * * *', 'expected exactly 5 fields, found 6: [0 0 * * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['TZ=Mars/Olympus 0 * * * *', 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus'],
    ['', 'empty spec string'],
  ];
  for (const [spec, message] of cases) assert.throws(() => parseSchedule(spec), { message }, spec);
});

it('finds the most recent missed time, flags more than 100 missed, and when to look again', () => {
  const cronJob = (status: Record<string, string>, spec: Record<string, number> = {}) => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'c', creationTimestamp: '2025-01-01T00:00:30Z' },
    spec,
    status,
  });
  const hourly = parseSchedule('0 * * * *');
  const now = Date.parse('2025-01-01T05:10:00Z');
  const recent = mostRecentScheduleTime(cronJob({}), now, hourly, true);
  assert.equal(recent.mostRecent, Date.parse('2025-01-01T05:00:00Z'));
  assert.equal(recent.tooMany, false);
  const last = cronJob({ lastScheduleTime: '2025-01-01T05:00:00Z' });
  assert.equal(mostRecentScheduleTime(last, now, hourly, true).mostRecent, undefined);
  assert.equal(nextScheduleDelayMs(last, now, hourly), 50 * 60_000 + 100);
  const withDeadline = cronJob({}, { startingDeadlineSeconds: 300 });
  assert.equal(mostRecentScheduleTime(withDeadline, now, hourly, true).mostRecent, undefined, 'past the deadline');
  const longAgo = mostRecentScheduleTime(cronJob({}), Date.parse('2025-01-10T00:30:00Z'), hourly, true);
  assert.equal(longAgo.tooMany, true);
  assert.equal(longAgo.mostRecent, Date.parse('2025-01-10T00:00:00Z'));
});
