// One run of a container probe (exec, httpGet, tcpSocket or grpc) as the kubelet's prober makes it: network
// handlers reach the pod's IP (or httpGet.host) from the agent, exec runs through the runtime; timeoutSeconds
// (default 1) bounds each. A runtime that answers probes itself (the simulated one) is asked instead.
import type { SandboxPod } from '../../driver.js';
import type { Container, ProbeKind, RunningContainer, SandboxRuntime } from '../runtime.js';
import { type Dial, directDial } from './dial.js';
import { execIn } from './exec.js';
import { grpcHealth } from './grpc.js';
import { httpGet } from './http-get.js';
import { failure, type Outcome, portOf, success, unknown } from './outcome.js';
import { tcpSocket } from './tcp-socket.js';

/** The runtime's way into the pod's network, else a direct connection. */
export const dialOf = (runtime: SandboxRuntime, pod: SandboxPod): Dial =>
  runtime.dial ? (host, port, timeoutMs) => runtime.dial!(pod, host, port, timeoutMs) : directDial;

export const timeoutSecondsOf = (probe: any) =>
  typeof probe?.timeoutSeconds === 'number' && probe.timeoutSeconds > 0 ? probe.timeoutSeconds : 1;

export async function runProbe(
  runtime: SandboxRuntime,
  pod: SandboxPod,
  container: Container,
  running: RunningContainer,
  kind: ProbeKind,
  probe: any,
): Promise<Outcome> {
  if (runtime.probe) {
    return (await runtime.probe(pod, container, running, kind)) ? success() : failure('');
  }
  const timeoutSeconds = timeoutSecondsOf(probe);
  const dial = dialOf(runtime, pod);
  const timeoutMs = timeoutSeconds * 1000;
  if (probe.exec) {
    return execIn(runtime, pod, container, running, probe.exec.command ?? [], timeoutSeconds);
  }
  if (probe.httpGet) {
    const port = portOf(container, probe.httpGet.port);
    if (!port) return unknown(`unable to find port "${probe.httpGet.port}" in container ${container.name}`);
    const target = {
      scheme: probe.httpGet.scheme ?? 'HTTP',
      host: probe.httpGet.host || pod.podIP,
      port,
      path: probe.httpGet.path ?? '/',
      headers: probe.httpGet.httpHeaders ?? [],
    };
    return httpGet(target, timeoutMs, dial);
  }
  if (probe.tcpSocket) {
    const port = portOf(container, probe.tcpSocket.port);
    if (!port) return unknown(`unable to find port "${probe.tcpSocket.port}" in container ${container.name}`);
    return tcpSocket(probe.tcpSocket.host || pod.podIP, port, timeoutMs, dial);
  }
  if (probe.grpc) {
    const port = portOf(container, probe.grpc.port);
    if (!port) return unknown(`invalid grpc port ${probe.grpc.port}`);
    return grpcHealth(pod.podIP, port, probe.grpc.service ?? '', timeoutMs, dial);
  }
  return unknown(`missing probe handler for ${pod.name}_${pod.namespace}(${pod.uid}):${container.name}`);
}
