// The httpGet handler as the kubelet's http prober sends it: GET scheme://host:port/path with the probe's headers
// over a User-Agent `kube-probe/<version>` and `Accept: */*` default, HTTPS without verifying the certificate,
// redirects not followed (a 3xx passes, as the kubelet's probe does for a redirect elsewhere); 2xx and 3xx pass.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { type Dial, directDial } from './dial.js';
import { dialError, failure, hostPort, type Outcome, success } from './outcome.js';

export const probeUserAgent = 'kube-probe/1.32';

export interface HttpTarget {
  scheme: string;
  host: string;
  port: number;
  path: string;
  headers: { name?: string; value?: string }[];
}

export function urlOf(target: HttpTarget): string {
  const path = target.path.startsWith('/') ? target.path : `/${target.path}`;
  return `${target.scheme.toLowerCase()}://${hostPort(target.host, target.port)}${path}`;
}

export function httpGet(
  target: HttpTarget,
  timeoutMs: number,
  dial: Dial = directDial,
): Promise<Outcome & { statusCode?: number }> {
  const url = urlOf(target);
  const headers: Record<string, string> = { 'User-Agent': probeUserAgent, Accept: '*/*' };
  for (const h of target.headers) if (h?.name) headers[h.name] = String(h.value ?? '');
  const https = target.scheme.toUpperCase() === 'HTTPS';
  const send = https ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Outcome & { statusCode?: number }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const createConnection = (_options: unknown, created: (error: Error | null, socket?: any) => void) => {
      dial(target.host, target.port, timeoutMs).then((socket) => {
        if (settled) return socket.destroy();
        created(null, https ? tlsConnect({ socket, rejectUnauthorized: false, servername: undefined }) : socket);
      }, created);
      return undefined;
    };
    const options = { method: 'GET', headers, createConnection } as any; // no agent: createConnection is used
    const req = send(url, options, (res) => {
      const status = res.statusCode ?? 0;
      const body: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < 10 * 1024) body.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => {
        const text = Buffer.concat(body)
          .toString('utf8')
          .slice(0, 10 * 1024);
        if (status >= 200 && status < 400) done({ ...success(text), statusCode: status });
        else done({ ...failure(`HTTP probe failed with statuscode: ${status}`), statusCode: status });
      });
      res.on('error', (error) => done(failure(`Get "${url}": ${error.message}`)));
    });
    const timer = setTimeout(
      () => done(failure(`Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`)),
      timeoutMs,
    );
    req.on('error', (error) => done(failure(`Get "${url}": ${dialError(hostPort(target.host, target.port), error)}`)));
    req.end();
  });
}
