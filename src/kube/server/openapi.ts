// Serves /openapi/v3 and its per-group-version documents from the resources served now (CRDs included as soon
// as they exist), cached per registry generation, with content hashes for `?hash=` and ETag (kubectl-compat §4).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serverNotFound } from '../api/errors.js';
import { contentHash, groupVersionPath, openApiV3Document, openApiV3Root, serializeOpenApi } from '../openapi/index.js';
import { openApiV2Document } from '../openapi/v2.js';
import { openApiV2Protobuf, openApiV2ProtobufAccepts, openApiV2ProtobufType } from '../openapi/v2-protobuf.js';
import type { ResourceRegistry } from '../resources/registry.js';
import type { ResourceInfo } from '../resources/types.js';
import { serverVersion } from './version.js';

interface Cached {
  generation: number;
  root: string;
  documents: Map<string, { body: string; hash: string }>;
}

interface CachedV2 {
  generation: number;
  json: string;
  protobuf: Buffer;
  hash: string;
}

export function describe(info: ResourceInfo) {
  return {
    group: info.group,
    version: info.version,
    resource: info.resource,
    kind: info.kind,
    namespaced: info.namespaced,
    verbs: info.verbs,
    subresources: info.subresources.map((s) => s.name),
    custom: info.custom !== undefined,
    customSchema: info.custom?.schema as any,
  };
}

export class OpenApiServer {
  private cache?: Cached;
  private cacheV2?: CachedV2;

  constructor(private registry: ResourceRegistry) {}

  private build(): Cached {
    if (this.cache?.generation === this.registry.generation) return this.cache;
    const documents = new Map<string, { body: string; hash: string }>();
    for (const [group, versions] of this.registry.groups()) {
      for (const version of versions) {
        const gv = { group, version };
        const doc = serializeOpenApi(openApiV3Document(gv, this.registry.resourcesOf(group, version).map(describe)));
        documents.set(groupVersionPath(gv), doc);
      }
    }
    const hashes = [...this.registry.groups()].flatMap(([group, versions]) =>
      versions.map((version) => ({ group, version, hash: documents.get(groupVersionPath({ group, version }))!.hash })),
    );
    this.cache = { generation: this.registry.generation, root: JSON.stringify(openApiV3Root(hashes)), documents };
    return this.cache;
  }

  private buildV2(): CachedV2 {
    if (this.cacheV2?.generation === this.registry.generation) return this.cacheV2;
    const groupVersions = [...this.registry.groups()].flatMap(([group, versions]) =>
      versions.map((version) => ({ group, version })),
    );
    const resources = groupVersions.flatMap(({ group, version }) =>
      this.registry.resourcesOf(group, version).map(describe),
    );
    const document = openApiV2Document(groupVersions, resources, serverVersion.gitVersion);
    const json = JSON.stringify(document);
    this.cacheV2 = {
      generation: this.registry.generation,
      json,
      protobuf: Buffer.from(openApiV2Protobuf(document)),
      hash: contentHash(json),
    };
    return this.cacheV2;
  }

  /** GET /openapi/v2: JSON, or gnostic's protobuf when the Accept header asks for it (kubectl before 1.30). */
  serveV2(req: IncomingMessage, res: ServerResponse): void {
    const cached = this.buildV2();
    const etag = `"${cached.hash}"`;
    const accept = req.headers.accept ?? '';
    const protobuf = openApiV2ProtobufAccepts.some((type) => accept.includes(type));
    const headers = {
      ETag: etag,
      Vary: 'Accept',
      'Content-Type': protobuf ? openApiV2ProtobufType : 'application/json',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, headers);
    res.end(protobuf ? cached.protobuf : cached.json);
  }

  /** `path` is what follows /openapi/v3 ("" for the root, "/apis/apps/v1" for a document). */
  serve(res: ServerResponse, path: string): void {
    const cached = this.build();
    if (path === '' || path === '/') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(cached.root);
      return;
    }
    const doc = cached.documents.get(path.replace(/^\//, ''));
    if (!doc) throw serverNotFound();
    res.writeHead(200, {
      'Content-Type': 'application/json',
      ETag: `"${doc.hash}"`,
      'Cache-Control': 'public, immutable',
    });
    res.end(doc.body);
  }
}
