// A small pods/exec client speaking WebSocket v5.channel.k8s.io as kubectl 1.30+ does, for benchmarks and tests
// that time an exec round trip without starting a kubectl process: stdin (then CLOSE), stdout, stderr, and the
// exit code read from the error channel's Status (reason NonZeroExitCode, cause ExitCode).
import { WebSocket } from 'ws';
import { channel } from './websocket-exec.js';

export interface ExecTarget {
  /** The kube API's URL (https://127.0.0.1:PORT). */
  server: string;
  token: string;
  /** The CA that signed the kube API's certificate. */
  ca: string;
  namespace: string;
  pod: string;
  container?: string;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The exit code a v4/v5 error-channel Status carries (0 for Success). */
export function exitCodeOf(status: any): number {
  if (!status || status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c: any) => c?.reason === 'ExitCode');
  if (cause) return Number(cause.message);
  throw new Error(status.message ?? 'exec failed');
}

export function execInPod(target: ExecTarget, command: string[], stdin?: string | Buffer): Promise<ExecResult> {
  const query = new URLSearchParams();
  for (const part of command) query.append('command', part);
  query.set('stdout', 'true');
  query.set('stderr', 'true');
  if (stdin !== undefined) query.set('stdin', 'true');
  if (target.container) query.set('container', target.container);
  const path = `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.pod)}/exec`;
  const url = `${target.server.replace(/^http/, 'ws')}${path}?${query}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['v5.channel.k8s.io'], {
      ca: target.ca,
      headers: { Authorization: `Bearer ${target.token}` },
      perMessageDeflate: false,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let status: any;
    ws.on('open', () => {
      if (stdin === undefined) return;
      const data = typeof stdin === 'string' ? Buffer.from(stdin) : stdin;
      if (data.length) ws.send(Buffer.concat([Buffer.from([channel.stdin]), data]));
      ws.send(Buffer.from([channel.close, channel.stdin]));
    });
    ws.on('message', (message: Buffer) => {
      const payload = message.subarray(1);
      if (message[0] === channel.stdout) stdout.push(payload);
      else if (message[0] === channel.stderr) stderr.push(payload);
      else if (message[0] === channel.error && payload.length) status = JSON.parse(payload.toString());
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        let message = body;
        try {
          message = JSON.parse(body).message ?? body;
        } catch {}
        reject(new Error(message || `HTTP ${res.statusCode}`));
      });
    });
    ws.on('error', reject);
    ws.on('close', () => {
      try {
        resolve({
          exitCode: exitCodeOf(status),
          stdout: Buffer.concat(stdout).toString(),
          stderr: Buffer.concat(stderr).toString(),
        });
      } catch (error) {
        reject(error);
      }
    });
  });
}
