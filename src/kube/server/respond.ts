// Writes responses: JSON objects, Status errors (with the code the Status carries), and objects or lists as a
// meta.k8s.io Table when the client asked for one (kubectl's human-readable gets).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeList, KubeObject } from '../api/types.js';
import { toApiError } from '../api/unexpected.js';
import type { ResourceInfo } from '../resources/types.js';
import { toTable, wantsTable } from '../table/index.js';

export function writeJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function writeError(res: ServerResponse, error: unknown): void {
  const apiError = toApiError(error);
  if (res.headersSent) {
    res.end();
    return;
  }
  writeJson(res, apiError.code, apiError.status);
}

export function tableOptionsOf(info: ResourceInfo, url: URL) {
  return {
    printerColumns: info.custom?.printerColumns,
    includeObject: (url.searchParams.get('includeObject') as any) ?? undefined,
  };
}

/** An object or a list, as a Table when the Accept header asks for one. */
export function writeObjects(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  info: ResourceInfo,
  body: KubeObject | KubeList,
  code = 200,
): void {
  const version = wantsTable(req.headers.accept);
  const isList = Array.isArray((body as KubeList).items);
  if (!version || (!isList && (body as KubeObject).kind !== info.kind)) {
    writeJson(res, code, body);
    return;
  }
  const items = isList ? (body as KubeList).items : [body as KubeObject];
  const meta = isList
    ? (body as KubeList).metadata
    : { resourceVersion: (body as KubeObject).metadata.resourceVersion };
  const table = toTable(info.kind, info.group, items, {
    ...tableOptionsOf(info, url),
    version,
    resourceVersion: meta.resourceVersion,
    continue: (meta as KubeList['metadata']).continue,
  });
  writeJson(res, code, table);
}
