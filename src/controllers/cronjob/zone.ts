// Wall-clock time in an IANA time zone, as Go's time package gives it to the cron library: the fields of an
// instant in the zone, the instant of a wall time (normalising overflow, DST gaps resolved as Go does), and
// RFC 3339 with the zone's offset.

export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Throws a RangeError naming the zone when it is not a known IANA zone. */
export function checkZone(zone: string): void {
  if (zone === '' || zone === 'UTC' || zone === 'Local') return;
  try {
    formatter(zone);
  } catch {
    throw new RangeError(`unknown time zone ${zone}`);
  }
}

/** `UTC` for Go's "" and "Local": kube-controller-manager runs in UTC on EKS. */
const canonical = (zone: string) => (zone === '' || zone === 'Local' ? 'UTC' : zone);

/** The wall-clock fields of an instant in the zone. */
export function wallTime(ms: number, zone: string): WallTime {
  const z = canonical(zone);
  if (z === 'UTC') {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      weekday: d.getUTCDay(),
    };
  }
  const parts: Record<string, number> = {};
  for (const part of formatter(z).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year, month, day, hour, minute, second } = parts;
  return { year, month, day, hour, minute, second, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

/** The zone's offset from UTC at an instant, in ms. */
export function offsetAt(ms: number, zone: string): number {
  const w = wallTime(Math.floor(ms / 1000) * 1000, zone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/** `time.Date(...)` in the zone: out-of-range fields roll over; a time in a DST gap moves past it. */
export function fromWall(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  zone: string,
): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const guess = offsetAt(wall, zone);
  const actual = offsetAt(wall - guess, zone);
  return wall - (actual === guess ? guess : actual);
}

/** RFC 3339 in the zone, as Go's `t.In(zone).Format(time.RFC3339)`: `Z` for UTC, else `+09:00`. */
export function formatRfc3339(ms: number, zone: string): string {
  const w = wallTime(ms, zone);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const local = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  const offset = Math.round(offsetAt(ms, zone) / 60_000);
  if (offset === 0 && canonical(zone) === 'UTC') return `${local}Z`;
  const sign = offset < 0 ? '-' : '+';
  return `${local}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}
