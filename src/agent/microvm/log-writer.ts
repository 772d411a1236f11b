// A container instance's CRI log file as containerd writes it, from the output frames the guest sends: one line per
// `<RFC3339Nano time> <stdout|stderr> <F|P> <text>`, a line longer than 16 KiB cut into P parts, an unfinished last
// line written when the instance ends. `kubectl logs` reads it with engine/logs/reader.ts like any other CRI log.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatLogLine, type Stream } from '../engine/logs/format.js';

const maxLine = 16 * 1024;

/** RFC 3339 with nanoseconds, as containerd writes log times. */
export function logTime(now = Date.now()): string {
  return `${new Date(now).toISOString().slice(0, 19)}.${String(now % 1000).padStart(3, '0')}000000Z`;
}

export class CriLogWriter {
  private fd: number | undefined;
  private partial: Record<Stream, string> = { stdout: '', stderr: '' };

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
  }

  write(stream: Stream, data: Buffer): void {
    if (this.fd === undefined) return;
    let text = this.partial[stream] + data.toString('utf8');
    const time = logTime();
    const out: string[] = [];
    let newline = text.indexOf('\n');
    while (newline >= 0) {
      out.push(formatLogLine({ time, stream, partial: false, text: text.slice(0, newline) }));
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
    }
    while (text.length > maxLine) {
      out.push(formatLogLine({ time, stream, partial: true, text: text.slice(0, maxLine) }));
      text = text.slice(maxLine);
    }
    this.partial[stream] = text;
    if (out.length) writeSync(this.fd, out.join(''));
  }

  close(): void {
    if (this.fd === undefined) return;
    const time = logTime();
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream])
        writeSync(this.fd, formatLogLine({ time, stream, partial: false, text: this.partial[stream] }));
      this.partial[stream] = '';
    }
    closeSync(this.fd);
    this.fd = undefined;
  }
}
