// The CRI log line format containerd writes: `<RFC3339Nano time> <stdout|stderr> <F|P> <text>` (P marks a partial
// line continued by the next one). Parsing and formatting of one line.
export type Stream = 'stdout' | 'stderr';

export interface LogLine {
  /** RFC 3339 time with nanoseconds, as written. */
  time: string;
  stream: Stream;
  partial: boolean;
  text: string;
}

export function parseLogLine(line: string): LogLine | undefined {
  const a = line.indexOf(' ');
  const b = line.indexOf(' ', a + 1);
  const c = line.indexOf(' ', b + 1);
  if (a < 0 || b < 0) return undefined;
  const stream = line.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const tag = c < 0 ? line.slice(b + 1) : line.slice(b + 1, c);
  return {
    time: line.slice(0, a),
    stream,
    partial: tag.split(':').includes('P'),
    text: c < 0 ? '' : line.slice(c + 1),
  };
}

export function formatLogLine(line: LogLine): string {
  return `${line.time} ${line.stream} ${line.partial ? 'P' : 'F'} ${line.text}\n`;
}

/** Milliseconds since the epoch of a CRI log time (nanoseconds dropped). */
export function logTimeMs(time: string): number {
  return Date.parse(time.replace(/(\.\d{3})\d+/, '$1'));
}
