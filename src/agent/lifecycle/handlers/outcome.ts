// What one probe or hook handler run came to, in the prober's terms: success, failure with the kubelet's message,
// or unknown (the handler could not be run at all, "probe errored"). Plus the pieces every handler needs: the
// target's port (named ports looked up in the container's ports) and Go's spelling of a network error.
import type { Container } from '../runtime.js';

export interface Outcome {
  result: 'success' | 'failure' | 'unknown';
  /** The probe's output or error, as the kubelet puts it in the Unhealthy event. */
  message: string;
}

export const success = (message = ''): Outcome => ({ result: 'success', message });
export const failure = (message: string): Outcome => ({ result: 'failure', message });
export const unknown = (message: string): Outcome => ({ result: 'unknown', message });

/** The numeric port of `port` (a number, a numeric string, or the name of one of the container's ports). */
export function portOf(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port > 0 && port < 65536 ? port : undefined;
  const named = (container.ports ?? []).find((p: any) => p?.name === port);
  if (named) return named.containerPort;
  const n = Number(port);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

/** `host:port`, with brackets around an IPv6 host as Go's net.JoinHostPort writes it. */
export const hostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** A Node socket error as Go's net package words a failed dial: `dial tcp 10.0.0.5:80: connect: connection refused`. */
export function dialError(address: string, error: any): string {
  const reason: Record<string, string> = {
    ECONNREFUSED: 'connect: connection refused',
    EHOSTUNREACH: 'connect: no route to host',
    ENETUNREACH: 'connect: network is unreachable',
    ECONNRESET: 'read: connection reset by peer',
    ETIMEDOUT: 'i/o timeout',
  };
  return `dial tcp ${address}: ${reason[error?.code] ?? error?.message ?? String(error)}`;
}
