// Streams a watch over HTTP: headers flushed at once (P3), one JSON event per line, BOOKMARKs when asked for,
// the stream ended after timeoutSeconds (or a few minutes) so clients re-watch from their last resourceVersion.
// Live events go out through a WatchSender (bounded, cut off when the client is too slow); an event's JSON line is
// built once for every watcher that sends it as it is.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, KubeWatchEvent } from '../api/types.js';
import type { ResourceInfo } from '../resources/types.js';
import { apiVersionOf } from '../resources/types.js';
import type { ApiContext } from '../rest/context.js';
import { watchObjects } from '../rest/watch.js';
import { toTable, wantsTable } from '../table/index.js';
import { tableOptionsOf } from './respond.js';
import { WatchSender } from './watch-sender.js';

const bookmarkIntervalMs = 30_000;

/** The JSON lines already built for a shared event object, by event type. */
const lines = new WeakMap<object, Map<string, string>>();

function lineOf(event: KubeWatchEvent): string {
  const byType = lines.get(event.object) ?? new Map<string, string>();
  lines.set(event.object, byType);
  let line = byType.get(event.type);
  if (line === undefined) {
    line = `${JSON.stringify({ type: event.type, object: event.object })}\n`;
    byType.set(event.type, line);
  }
  return line;
}

export async function streamWatch(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  info: ResourceInfo,
  namespace: string | undefined,
  minRequestTimeoutSeconds: number,
): Promise<void> {
  const q = url.searchParams;
  const tableVersion = wantsTable(req.headers.accept);
  const encode = (event: KubeWatchEvent): string => {
    if (!tableVersion || (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED')) {
      return lineOf(event);
    }
    const object = toTable(info.kind, info.group, [event.object as KubeObject], {
      ...tableOptionsOf(info, url),
      version: tableVersion,
    });
    return `${JSON.stringify({ type: event.type, object })}\n`;
  };
  const pending: KubeWatchEvent[] = [];
  let headersWritten = false;
  const sender = new WatchSender(res, () => finish());
  const send = (event: KubeWatchEvent) => {
    if (!headersWritten) pending.push(event);
    else sender.send(encode(event));
    if (event.type === 'ERROR' && headersWritten) finish();
  };
  let timer: NodeJS.Timeout | undefined;
  let bookmarks: NodeJS.Timeout | undefined;
  let watch: { close(): void; revision(): number } | undefined;
  const finish = () => {
    clearTimeout(timer);
    clearInterval(bookmarks);
    watch?.close();
    if (headersWritten && !res.writableEnded) res.end();
  };
  watch = await watchObjects(
    ctx,
    info,
    namespace,
    {
      labelSelector: q.get('labelSelector') ?? undefined,
      fieldSelector: q.get('fieldSelector') ?? undefined,
      resourceVersion: q.get('resourceVersion') ?? undefined,
    },
    send,
  );
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();
  headersWritten = true;
  const early = pending.splice(0);
  for (const event of early) res.write(encode(event));
  if (early.some((e) => e.type === 'ERROR')) return finish();
  // Like kube-apiserver: a watch without timeoutSeconds ends after a random time between min and 2×min.
  const timeoutSeconds = Number(q.get('timeoutSeconds') ?? minRequestTimeoutSeconds * (1 + Math.random()));
  timer = setTimeout(finish, Math.max(1, timeoutSeconds) * 1000);
  if (q.get('allowWatchBookmarks') === 'true') {
    bookmarks = setInterval(() => {
      const bookmark = {
        kind: info.kind,
        apiVersion: apiVersionOf(info),
        metadata: { resourceVersion: String(watch!.revision()) },
      };
      sender.send(encode({ type: 'BOOKMARK', object: bookmark as KubeObject }));
    }, bookmarkIntervalMs);
  }
  req.on('close', finish);
  res.on('close', finish);
}
