// One HTTPS request to a kube API for tests and fuzzing, its path put on the request line exactly as written (no
// client-side normalising, so hostile paths reach the server), with the bearer token and CA of `target`; the
// answer's status, its body (parsed when it is JSON) and how long it took.
import { request } from 'node:https';

export interface ApiTarget {
  url: string;
  caCert: string;
  token: string;
}

export interface ApiReply {
  status: number;
  body: any;
  ms: number;
}

export function callApi(
  target: ApiTarget,
  method: string,
  path: string,
  body?: unknown,
  options: { contentType?: string; userAgent?: string; timeoutMs?: number } = {},
): Promise<ApiReply> {
  const { hostname, port } = new URL(target.url);
  const text = body === undefined ? undefined : JSON.stringify(body);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        path,
        method,
        ca: target.caCert,
        timeout: options.timeoutMs,
        headers: {
          Authorization: `Bearer ${target.token}`,
          'Content-Type': options.contentType ?? 'application/json',
          ...(options.userAgent ? { 'User-Agent': options.userAgent } : {}),
          ...(text === undefined ? {} : { 'Content-Length': Buffer.byteLength(text) }),
        },
      },
      (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => {
          let parsed: any = data;
          try {
            parsed = JSON.parse(data);
          } catch {}
          resolve({ status: res.statusCode!, body: parsed, ms: Date.now() - started });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(text);
  });
}
