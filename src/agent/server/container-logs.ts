// GET /containerLogs/{namespace}/{pod}/{container}, the kubelet's own endpoint: the query options kube-apiserver
// passes on (follow, previous, tailLines, sinceSeconds, sinceTime, timestamps, limitBytes), the instance chosen from
// the pod's status, and the log streamed as text/plain from the sandbox driver, cut at limitBytes.
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../../kube/api/types.js';
import type { ContainerLogOptions, SandboxDriver } from '../driver.js';
import { logTarget } from './log-target.js';

export class HttpError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const flag = (q: URLSearchParams, name: string) => ['true', '1'].includes(q.get(name) ?? '');

function count(q: URLSearchParams, name: string, min: number): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new HttpError(400, `${name}: must be an integer ≥ ${min}`);
  return value;
}

export interface LogRequest {
  namespace: string;
  pod: string;
  container: string;
  query: URLSearchParams;
}

export async function serveContainerLogs(
  request: LogRequest,
  res: ServerResponse,
  driver: SandboxDriver,
  podByName: (namespace: string, name: string) => KubeObject | undefined,
): Promise<void> {
  const { query: q } = request;
  const tailLines = count(q, 'tailLines', 0);
  const sinceSeconds = count(q, 'sinceSeconds', 1);
  const limitBytes = count(q, 'limitBytes', 1);
  const sinceTime = q.get('sinceTime');
  if (sinceTime && Number.isNaN(Date.parse(sinceTime)))
    throw new HttpError(400, `sinceTime: invalid time "${sinceTime}"`);
  const pod = podByName(request.namespace, request.pod);
  if (!pod) throw new HttpError(404, `pod "${request.pod}" does not exist`);
  const target = logTarget(pod, request.container, flag(q, 'previous'));
  if ('error' in target) throw new HttpError(target.code, target.error);

  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const options: ContainerLogOptions = {
    tailLines,
    sinceMs:
      sinceSeconds !== undefined ? Date.now() - sinceSeconds * 1000 : sinceTime ? Date.parse(sinceTime) : undefined,
    timestamps: flag(q, 'timestamps'),
    follow: flag(q, 'follow'),
    signal: abort.signal,
  };
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  let left = limitBytes ?? Infinity;
  const ref = {
    podUid: pod.metadata.uid!,
    namespace: request.namespace,
    podName: request.pod,
    container: request.container,
    containerId: target.containerId,
  };
  try {
    for await (const chunk of driver.logs?.(ref, options) ?? []) {
      if (abort.signal.aborted) break;
      const bytes = Buffer.from(chunk);
      res.write(bytes.length > left ? bytes.subarray(0, left) : bytes);
      left -= bytes.length;
      if (left <= 0) break;
    }
  } finally {
    abort.abort();
    res.end();
  }
}
