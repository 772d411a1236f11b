// Readiness and startup probes against a real container, as the kubelet runs them: exec through CRI ExecSync (exit 0
// passes), httpGet from the host to the pod's IP (2xx and 3xx pass), tcpSocket (a connection passes); each within
// timeoutSeconds (1 s by default). Named ports are looked up in the container's ports.
import { connect } from 'node:net';
import type { SandboxPod } from '../driver.js';
import type { CriClient } from '../engine/cri/client.js';
import type { Container } from '../lifecycle/runtime.js';

export interface ProbeSpec {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port?: number | string; host?: string; scheme?: string; httpHeaders?: any[] };
  tcpSocket?: { port?: number | string; host?: string };
  timeoutSeconds?: number;
}

export function portOf(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  const named = (container.ports ?? []).find((p: any) => p?.name === port);
  if (named) return named.containerPort;
  const n = Number(port);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function tcpOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function httpOk(url: string, headers: Record<string, string>, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status >= 200 && response.status < 400;
  } catch {
    return false;
  }
}

/** One run of `probe` against the container `id` (a bare CRI ID) of `pod`. */
export async function runProbe(
  cri: CriClient,
  pod: SandboxPod,
  container: Container,
  id: string,
  probe: ProbeSpec,
): Promise<boolean> {
  const timeoutSeconds = probe.timeoutSeconds && probe.timeoutSeconds > 0 ? probe.timeoutSeconds : 1;
  if (probe.exec?.command?.length) {
    const result = await cri.execSync(id, probe.exec.command, timeoutSeconds).catch(() => undefined);
    return result?.exitCode === 0;
  }
  if (probe.httpGet) {
    const port = portOf(container, probe.httpGet.port);
    if (!port) return false;
    const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    const path = probe.httpGet.path?.startsWith('/') ? probe.httpGet.path : `/${probe.httpGet.path ?? ''}`;
    const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32' };
    for (const h of probe.httpGet.httpHeaders ?? []) if (h?.name) headers[h.name] = String(h.value ?? '');
    const host = probe.httpGet.host || pod.podIP;
    return httpOk(`${scheme}://${host}:${port}${path}`, headers, timeoutSeconds * 1000);
  }
  if (probe.tcpSocket) {
    const port = portOf(container, probe.tcpSocket.port);
    return port ? tcpOpen(probe.tcpSocket.host || pod.podIP, port, timeoutSeconds * 1000) : false;
  }
  return true;
}
