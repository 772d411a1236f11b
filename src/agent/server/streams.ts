// The kubelet's streaming endpoints on the agent: POST/GET /exec/{namespace}/{pod}/{container}?command=…&input=1
// &output=1&error=1&tty=1, /attach/{namespace}/{pod}/{container} and /portForward/{namespace}/{pod}, each an HTTP
// upgrade (SPDY/3.1 or WebSocket) relayed, as the kubelet's proxyStream does, to the URL the driver's stream server
// gives for it (containerd's, on the process runtime). A driver without one answers with a kube Status naming it.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../../kube/api/types.js';
import { refuse, requestUpgrade, splice, switchingHeaders, upgradeHeaders, writeHead } from '../../streams/upgrade.js';
import type { SandboxDriver, StreamRequest } from '../driver.js';

export const streamVerbs: Record<string, 'exec' | 'attach' | 'portforward'> = {
  exec: 'exec',
  attach: 'attach',
  portForward: 'portforward',
};

const flag = (q: URLSearchParams, name: string) => ['1', 'true'].includes(q.get(name) ?? '');

/** A kube Status body, for what kube-apiserver passes on to kubectl as it is. */
export function statusBody(code: number, reason: string, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

/** The running instance of a container, from the pod's status. */
function runningContainerId(pod: KubeObject, container: string): string | undefined {
  const status = pod.status ?? {};
  const all = [
    ...(status.containerStatuses ?? []),
    ...(status.initContainerStatuses ?? []),
    ...(status.ephemeralContainerStatuses ?? []),
  ];
  const found = all.find((s: any) => s?.name === container);
  return found?.state?.running ? found.containerID : undefined;
}

export async function serveStream(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  driver: SandboxDriver,
  podByName: (namespace: string, name: string) => KubeObject | undefined,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://agent');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const verb = streamVerbs[parts[0] ?? ''];
  const expected = verb === 'portforward' ? 3 : 4;
  if (!verb || parts.length !== expected) return refuse(socket, 404, 'text/plain', '404 page not found');
  const [, namespace, podName, container] = parts as [string, string, string, string | undefined];
  if (!driver.streamUrl) {
    const subresource = verb === 'portforward' ? 'pods/portforward' : `pods/${verb}`;
    const message = `${subresource} is not available on the ${driver.name} runtime: start skiff with --runtime process`;
    return refuse(socket, 400, 'application/json', statusBody(400, 'BadRequest', message));
  }
  const pod = podByName(namespace, podName);
  if (!pod) return refuse(socket, 404, 'text/plain', `pod does not exist`);
  const q = url.searchParams;
  let request: StreamRequest;
  if (verb === 'portforward') {
    const ports = q.getAll('port').map(Number);
    request = { verb, podUid: pod.metadata.uid!, ports };
  } else {
    const containerId = runningContainerId(pod, container!);
    if (!containerId) return refuse(socket, 500, 'text/plain', `container not found ("${container}")`);
    const io = { stdin: flag(q, 'input'), stdout: flag(q, 'output'), stderr: flag(q, 'error'), tty: flag(q, 'tty') };
    request =
      verb === 'exec'
        ? { verb, podUid: pod.metadata.uid!, containerId, command: q.getAll('command'), ...io }
        : { verb, podUid: pod.metadata.uid!, containerId, ...io };
  }
  let target: string;
  try {
    target = await driver.streamUrl(request);
  } catch (error: any) {
    return refuse(socket, 500, 'text/plain', String(error?.details ?? error?.message ?? error));
  }
  const targetUrl = new URL(target);
  // A WebSocket port-forward names its ports in the query (SPDY ones in each stream's headers).
  if (verb === 'portforward') for (const port of q.getAll('port')) targetUrl.searchParams.append('port', port);
  const upstream = await requestUpgrade({
    url: targetUrl,
    method: req.method ?? 'POST',
    headers: upgradeHeaders(req.headers),
  }).catch((error: Error) => error);
  if (upstream instanceof Error) return refuse(socket, 500, 'text/plain', `error dialing backend: ${upstream.message}`);
  if (!upstream.upgraded) {
    return refuse(socket, upstream.status, upstream.headers['content-type'] ?? 'text/plain', upstream.body);
  }
  writeHead(socket, 101, switchingHeaders(upstream.response));
  await splice(socket, head, upstream.socket, upstream.head);
}
