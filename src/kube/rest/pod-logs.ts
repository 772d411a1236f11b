// GET pods/{name}/log: checks the PodLogOptions, picks the container as kube-apiserver does, then finds the agent
// that runs the pod over the network — pod → spec.nodeName → the Node's skiff.io/host → the host Lease
// kube-system/skiff-host-<host> with its HTTPS endpoint — and relays the agent's /containerLogs answer, streamed.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ApiError, badRequest, internalError, invalid, notFound, statusFailure } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { getObject } from '../storage/objects.js';
import { agentOf } from './agent-client.js';
import type { ApiContext } from './context.js';

const passedOn = ['follow', 'previous', 'tailLines', 'sinceSeconds', 'sinceTime', 'timestamps', 'limitBytes'];

function checkOptions(query: URLSearchParams, name: string): void {
  const causes: { field: string; reason: string; message: string }[] = [];
  const integer = (field: string, min: number, rule: string) => {
    const raw = query.get(field);
    if (raw === null) return;
    if (!/^-?\d+$/.test(raw)) throw badRequest(`strconv.ParseInt: parsing "${raw}": invalid syntax`);
    if (Number(raw) < min)
      causes.push({ field, reason: 'FieldValueInvalid', message: `Invalid value: ${raw}: ${rule}` });
  };
  integer('tailLines', 0, 'must be greater than or equal to 0');
  integer('limitBytes', 1, 'must be greater than 0');
  integer('sinceSeconds', 1, 'must be greater than 0');
  const sinceTime = query.get('sinceTime');
  if (sinceTime !== null && Number.isNaN(Date.parse(sinceTime))) {
    throw badRequest(`parsing time "${sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTime}"`);
  }
  if (sinceTime !== null && query.has('sinceSeconds')) {
    causes.push({
      field: '',
      reason: 'FieldValueForbidden',
      message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    });
  }
  if (causes.length) throw invalid('PodLogOptions', '', name, causes);
}

/** The container asked for, or the only one; kube-apiserver's messages otherwise. */
export function containerOf(pod: KubeObject, asked: string | null): string {
  const spec = pod.spec ?? {};
  const name = pod.metadata.name;
  const all: string[] = [
    ...(spec.initContainers ?? []),
    ...(spec.containers ?? []),
    ...(spec.ephemeralContainers ?? []),
  ].map((c: any) => c.name);
  if (asked) {
    if (!all.includes(asked)) throw badRequest(`container ${asked} is not valid for pod ${name}`);
    return asked;
  }
  const containers = spec.containers ?? [];
  if (containers.length === 1) return containers[0].name;
  if (containers.length === 0) throw badRequest(`pod ${name} does not have a container`);
  throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`);
}

function readText(response: IncomingMessage, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      if (text.length < limit) text += chunk;
    });
    response.on('end', () => resolve(text.slice(0, limit).trim()));
    response.on('error', () => resolve(text.trim()));
  });
}

/** The agent's error answer as the API's Status, the way kube-apiserver turns a kubelet error into one. */
function agentError(code: number, text: string, host: string): ApiError {
  if (code === 400) return badRequest(text || 'the server rejected our request for an unknown reason');
  if (code === 404)
    return new ApiError(statusFailure(404, 'NotFound', text || 'the server could not find the requested resource'));
  if (code === 401 || code === 403)
    return internalError(`the agent of host "${host}" refused the API's client certificate`);
  return internalError(`the agent of host "${host}" answered ${code}: ${text}`);
}

export async function streamPodLogs(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  namespace: string,
  name: string,
): Promise<void> {
  req.resume();
  checkOptions(url.searchParams, name);
  const podInfo = ctx.registry.lookup('', 'v1', 'pods')!;
  const pod = await getObject(ctx.store, podInfo, namespace, name);
  if (!pod) throw notFound('pods', name);
  const container = containerOf(pod, url.searchParams.get('container'));
  const nodeName: string | undefined = pod.spec?.nodeName;
  if (!nodeName) {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end();
    return;
  }
  const agent = await agentOf(ctx, nodeName);
  const target = new URL(
    `/containerLogs/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/${encodeURIComponent(container)}`,
    agent.url,
  );
  for (const key of passedOn) {
    const value = url.searchParams.get(key);
    if (value !== null) target.searchParams.set(key, value);
  }
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const upstream = request(target, { agent: false, ...agent.tls }, resolve);
    upstream.on('error', (error) =>
      reject(
        internalError(
          `error trying to reach the agent of host "${agent.host}" for node "${nodeName}" at ${agent.url}: ${error.message}`,
        ),
      ),
    );
    res.on('close', () => upstream.destroy());
    upstream.end();
  });
  if (response.statusCode !== 200) throw agentError(response.statusCode ?? 500, await readText(response), agent.host);
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  response.on('data', (chunk) => res.write(chunk));
  await new Promise<void>((resolve) => {
    response.on('end', resolve);
    response.on('error', resolve);
    response.on('close', resolve);
    res.on('close', resolve);
  });
  res.end();
}
