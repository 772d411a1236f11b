// Cron schedules as Kubernetes reads them (robfig/cron v3 `ParseStandard`): five fields — minute, hour, day of
// month, month (or JAN–DEC), day of week (0–6 or SUN–SAT) — with `*`, `?`, lists, ranges and steps; the
// descriptors @yearly … @hourly and `@every <duration>`; a `TZ=` / `CRON_TZ=` prefix; `next` as the library's.
import { checkZone, fromWall, wallTime } from './zone.js';

export interface Schedule {
  /** The first activation strictly after `ms` (whole seconds), or 0 when none comes within five years. */
  next(ms: number): number;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const months: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const days: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const fieldBounds: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: months },
  { min: 0, max: 6, names: days },
];
const descriptors: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A field's allowed values, and whether it was `*` or `?` (which changes how the two day fields combine). */
interface Field {
  values: Set<number>;
  star: boolean;
}

export function parseSchedule(spec: string): Schedule {
  let text = spec.trim();
  if (!text) throw new Error('empty spec string');
  let zone = 'UTC';
  const tz = /^(?:CRON_TZ|TZ)=(\S*)/.exec(text);
  if (tz) {
    zone = tz[1];
    try {
      checkZone(zone);
    } catch (error: any) {
      throw new Error(`provided bad location ${zone}: ${error.message}`);
    }
    text = text.slice(tz[0].length).trim();
  }
  if (text.startsWith('@every ')) return everySchedule(text.slice(7).trim());
  if (text.startsWith('@')) {
    if (!descriptors[text]) throw new Error(`unrecognized descriptor: ${text}`);
    text = descriptors[text];
  }
  const parts = text.split(/\s+/).filter(Boolean);
  if (parts.length !== 5) throw new Error(`expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`);
  const [minute, hour, dom, month, dow] = parts.map((part, i) => parseField(part, fieldBounds[i]));
  const dayMatches = (w: { day: number; weekday: number }) => {
    const domMatch = dom.values.has(w.day);
    const dowMatch = dow.values.has(w.weekday);
    return dom.star || dow.star ? domMatch && dowMatch : domMatch || dowMatch;
  };
  return { next: (ms) => nextActivation(ms, zone, { minute, hour, month, dayMatches }) };
}

function parseField(text: string, bounds: Bounds): Field {
  const values = new Set<number>();
  let star = false;
  for (const expr of text.split(',')) {
    const [range, stepText, extra] = expr.split('/');
    if (extra !== undefined) throw new Error(`too many slashes: ${expr}`);
    const ends = range.split('-');
    if (ends.length > 2) throw new Error(`too many hyphens: ${expr}`);
    let start: number;
    let end: number;
    let isStar = false;
    if (ends[0] === '*' || ends[0] === '?') {
      [start, end, isStar] = [bounds.min, bounds.max, true];
    } else {
      start = parseValue(ends[0], bounds);
      end = ends.length === 2 ? parseValue(ends[1], bounds) : start;
    }
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText)) throw new Error(`failed to parse int from ${stepText}: ${atoiError(stepText)}`);
      step = Number(stepText);
      if (step <= 0) throw new Error(`step of range should be a positive number: ${expr}`);
      if (ends.length === 1 && !isStar) end = bounds.max;
      if (step > 1) isStar = false;
    }
    if (start < bounds.min) throw new Error(`beginning of range (${start}) below minimum (${bounds.min}): ${expr}`);
    if (end > bounds.max) throw new Error(`end of range (${end}) above maximum (${bounds.max}): ${expr}`);
    if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
    for (let v = start; v <= end; v += step) values.add(v);
    star ||= isStar;
  }
  return { values, star };
}

function parseValue(text: string, bounds: Bounds): number {
  const named = bounds.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) throw new Error(`failed to parse int from ${text}: ${atoiError(text)}`);
  return Number(text);
}

const atoiError = (text: string) => `strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;

interface Spec {
  minute: Field;
  hour: Field;
  month: Field;
  dayMatches: (w: { day: number; weekday: number }) => boolean;
}

/** robfig/cron's SpecSchedule.Next: advance month, day, hour, minute in the zone until all match. */
function nextActivation(fromMs: number, zone: string, spec: Spec): number {
  let t = Math.floor(fromMs / 1000) * 1000 + 1000;
  const yearLimit = wallTime(t, zone).year + 5;
  let added = false;
  for (;;) {
    let w = wallTime(t, zone);
    if (w.year > yearLimit) return 0;
    let wrapped = false;
    while (!spec.month.values.has(w.month)) {
      if (!added) {
        added = true;
        t = fromWall(w.year, w.month, 1, 0, 0, 0, zone);
        w = wallTime(t, zone);
      }
      t = fromWall(w.year, w.month + 1, w.day, w.hour, w.minute, w.second, zone);
      w = wallTime(t, zone);
      if (w.month === 1) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;
    while (!spec.dayMatches(w)) {
      if (!added) {
        added = true;
        t = fromWall(w.year, w.month, w.day, 0, 0, 0, zone);
        w = wallTime(t, zone);
      }
      t = fromWall(w.year, w.month, w.day + 1, w.hour, w.minute, w.second, zone);
      w = wallTime(t, zone);
      // Back to midnight when a DST change moved the hour.
      if (w.hour !== 0) {
        t += (w.hour > 12 ? 24 - w.hour : -w.hour) * 3_600_000;
        w = wallTime(t, zone);
      }
      if (w.day === 1) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;
    while (!spec.hour.values.has(w.hour)) {
      if (!added) {
        added = true;
        t = fromWall(w.year, w.month, w.day, w.hour, 0, 0, zone);
      }
      t += 3_600_000;
      w = wallTime(t, zone);
      if (w.hour === 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;
    while (!spec.minute.values.has(w.minute)) {
      if (!added) {
        added = true;
        t = Math.floor(t / 60_000) * 60_000;
      }
      t += 60_000;
      w = wallTime(t, zone);
      if (w.minute === 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;
    if (w.second !== 0) {
      // The seconds field of a standard schedule is 0: move to the next minute and look again.
      if (!added) added = true;
      t = Math.floor(t / 60_000) * 60_000 + 60_000;
      continue;
    }
    return t;
  }
}

/** `@every 1h30m`: a constant delay, rounded to whole seconds (at least one), from the last activation. */
function everySchedule(text: string): Schedule {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text) {
    throw new Error(`failed to parse duration @every ${text}: time: invalid duration "${text}"`);
  }
  const total = parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]], 0);
  const delay = Math.max(1000, Math.floor(total / 1000) * 1000);
  return { next: (ms) => Math.floor(ms / 1000) * 1000 + delay };
}
