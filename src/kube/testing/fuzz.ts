// The kube API fuzzer (issue 15): seeded, bounded, loopback. Concurrent workers send creates, PUTs, patches of every
// type, dry runs, reads, lists and deletes of built-in kinds, a CRD and its custom resources, with odd values put at
// random places in valid objects and odd segments in paths, and rewrite the CRD while they run. The report counts
// answers of 500, answers slower than 5 s, odd path segments answered with a 2xx, errors without a Status,
// acknowledged objects missing from a GET or a list afterwards, and stored objects their kind's types could not
// decode or their CRD's schema refuses. Run by the in-process test and against a whole `skiff up` end to end.
import { mutate, oddSegments, oddValues, Random } from '../../testing/fuzz.js';
import { decodeTypeError } from '../schema/decode-types.js';
import { definitionNameForKind, definitions } from '../schema/index.js';
import { validateCustomResource } from '../schema/validate-custom.js';
import { type ApiReply, callApi } from './call.js';

/** Where the fuzzer sends: the API's URL, the CA that signed its certificate and a bearer token. */
export interface KubeFuzzTarget {
  url: string;
  caCert: string;
  token: string;
}

export interface KubeFuzzReport {
  seed: number;
  workers: number;
  requests: number;
  /** Answers by status code, e.g. `200×1441 201×321 400×976`. */
  statuses: string;
  kept: number;
  missing: number;
  undecodable: number;
  failures: string[];
}

const slowMs = 5000;

interface Kind {
  group: string;
  version: string;
  kind: string;
  /** The collection in namespace `fuzz`. */
  collection: string;
  template: (name: string) => any;
}

const ns = 'fuzz';
const podSpec = () => ({ containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80 }] }] });
const crdName = 'widgets.fuzz.example.com';
const widgetSchema = (extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: { size: { type: 'integer' }, color: { type: 'string' }, ...extra },
    },
  },
});
/** The CRD the fuzz run creates, and re-writes now and then (a new optional field, a new version) while it runs. */
const widgetCrd = (generation: number) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: crdName },
  spec: {
    group: 'fuzz.example.com',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: widgetSchema({ [`f${generation}`]: { type: 'string' } }) },
      },
      ...(generation % 2
        ? [{ name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: widgetSchema() } }]
        : []),
    ],
  },
});
const kinds: Kind[] = [
  {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    collection: `/api/v1/namespaces/${ns}/configmaps`,
    template: (name) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, labels: { a: 'b' } },
      data: { k: 'v' },
    }),
  },
  {
    group: '',
    version: 'v1',
    kind: 'Secret',
    collection: `/api/v1/namespaces/${ns}/secrets`,
    template: (name) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name },
      stringData: { k: 'v' },
      type: 'Opaque',
    }),
  },
  {
    group: '',
    version: 'v1',
    kind: 'Service',
    collection: `/api/v1/namespaces/${ns}/services`,
    template: (name) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    }),
  },
  {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    collection: `/api/v1/namespaces/${ns}/serviceaccounts`,
    template: (name) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } }),
  },
  {
    group: '',
    version: 'v1',
    kind: 'Pod',
    collection: `/api/v1/namespaces/${ns}/pods`,
    template: (name) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } }, spec: podSpec() }),
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    collection: `/apis/apps/v1/namespaces/${ns}/deployments`,
    template: (name) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: podSpec() },
      },
    }),
  },
  {
    group: 'batch',
    version: 'v1',
    kind: 'Job',
    collection: `/apis/batch/v1/namespaces/${ns}/jobs`,
    template: (name) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name },
      spec: { template: { spec: { ...podSpec(), restartPolicy: 'Never' } } },
    }),
  },
  {
    group: 'fuzz.example.com',
    version: 'v1',
    kind: 'Widget',
    collection: `/apis/fuzz.example.com/v1/namespaces/${ns}/widgets`,
    template: (name) => ({
      apiVersion: 'fuzz.example.com/v1',
      kind: 'Widget',
      metadata: { name },
      spec: { size: 1, color: 'red' },
    }),
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    collection: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    template: (name) => {
      const crd = widgetCrd(1) as any;
      const plural = `g${name.replace(/[^a-z0-9]/g, '')}s`;
      crd.metadata.name = `${plural}.fuzz.example.com`;
      crd.spec.names = { plural, kind: `G${plural}`, listKind: `G${plural}List` };
      return crd;
    },
  },
];

const patchTypes = [
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
] as const;
const escapeSegments = oddSegments.filter((s) => s.includes('%') || s === '.' || s === '..');
const oddQueries = [
  'resourceVersion=1e%2B300',
  'resourceVersion=-1',
  'resourceVersion=abc',
  'resourceVersion=999999999999&resourceVersionMatch=Exact',
  'limit=-1',
  'limit=abc',
  'limit=1&continue=%zz',
  'continue=eyJydiI6MX0',
  'labelSelector=%3D%3D%3D',
  'labelSelector=a%20in%20(',
  'fieldSelector=metadata.nope%3Dx',
  'fieldSelector=%3D',
  'timeoutSeconds=abc',
  'watch=1&timeoutSeconds=1',
  'dryRun=Nope',
  'fieldValidation=Odd',
];

interface Tally {
  requests: number;
  byStatus: Map<number, number>;
  failures: string[];
}

function record(tally: Tally, what: string, reply: ApiReply, oddPath = false) {
  tally.requests++;
  tally.byStatus.set(reply.status, (tally.byStatus.get(reply.status) ?? 0) + 1);
  const failure = (why: string) => {
    if (tally.failures.length < 30)
      tally.failures.push(`${what} → ${reply.status} ${why}: ${JSON.stringify(reply.body).slice(0, 300)}`);
  };
  if (reply.status >= 500 && !(reply.status === 504 && reply.body?.reason === 'Timeout')) failure('server error');
  if (reply.ms > slowMs) failure(`slow (${reply.ms} ms)`);
  if (oddPath && reply.status < 300) failure('odd path segment answered');
  if (reply.status >= 400 && reply.body?.kind !== 'Status') failure('error without a Status');
}

function jsonPatch(random: Random): unknown {
  const op = random.pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'nope']);
  const path = random.pick([
    '/metadata/name',
    '/metadata/labels',
    '/spec',
    '/data',
    '/spec/replicas',
    '/x/y/z',
    '',
    '/',
    '/metadata/ownerReferences/-',
    '~1',
  ]);
  return random.chance(0.1)
    ? random.pick(oddValues)
    : [{ op, path, from: '/metadata', value: structuredClone(random.pick(oddValues)) }];
}

/** Runs `requests` requests over `workers` concurrent loops against `target` and reports what went wrong. */
export async function fuzzKubeApi(
  target: KubeFuzzTarget,
  { seed, requests: requestCount, workers = 8 }: { seed: number; requests: number; workers?: number },
): Promise<KubeFuzzReport> {
  const call = (method: string, path: string, body?: unknown, contentType?: string) =>
    callApi(target, method, path, body, { contentType, timeoutMs: slowMs * 2 });
  const tally: Tally = { requests: 0, byStatus: new Map(), failures: [] };
  const namespace = await call('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns },
  });
  if (namespace.status !== 201) throw new Error(`creating namespace ${ns}: ${JSON.stringify(namespace.body)}`);
  const crd = await call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', widgetCrd(0));
  if (crd.status !== 201) throw new Error(`creating the CRD: ${JSON.stringify(crd.body)}`);
  const acknowledged = new Map<string, Kind>();
  let serial = 0;
  let crdGeneration = 0;

  /** One of `workers` concurrent request loops, each with its own random source derived from the seed. */
  async function fuzz(random: Random): Promise<void> {
    while (tally.requests < requestCount) {
      const kind = random.pick(kinds);
      const existing = [...acknowledged.entries()].filter(([, k]) => k === kind).map(([path]) => path);
      const target = existing.length ? random.pick(existing) : undefined;
      const action = random.int(9);
      if (action <= 1 || !target) {
        const name = random.chance(0.1) ? random.pick(oddValues) : `f-${serial++}`;
        const body = random.chance(0.6) ? mutate(random, kind.template(String(name))) : kind.template(String(name));
        if (typeof name !== 'string') body.metadata = { ...body.metadata, name };
        const dryRun = random.chance(0.15);
        const reply = await call('POST', `${kind.collection}${dryRun ? '?dryRun=All' : ''}`, body);
        record(tally, `POST ${kind.kind} ${JSON.stringify(body).slice(0, 200)}`, reply);
        if (reply.status < 300 && !dryRun) acknowledged.set(`${kind.collection}/${reply.body.metadata.name}`, kind);
      } else if (action === 2) {
        const current = await call('GET', target);
        record(tally, `GET ${target}`, current);
        if (current.status !== 200) continue;
        const body = mutate(random, current.body);
        const reply = await call('PUT', target, body);
        record(tally, `PUT ${target} ${JSON.stringify(body).slice(0, 200)}`, reply);
      } else if (action === 3) {
        const type = random.pick(patchTypes);
        const patch = type === 'application/json-patch+json' ? jsonPatch(random) : mutate(random, kind.template('x'));
        if (type !== 'application/json-patch+json' && random.chance(0.7)) delete (patch as any).metadata;
        const reply = await call('PATCH', target, patch, type);
        record(tally, `PATCH ${type} ${target} ${JSON.stringify(patch).slice(0, 200)}`, reply);
      } else if (action === 4) {
        const segment = random.pick(oddSegments);
        const parts = target.split('/');
        const at = random.pick([parts.length - 1, parts.length - 2, parts.length - 3]);
        parts[at] = segment;
        const method = random.pick(['GET', 'DELETE', 'PUT', 'PATCH']);
        const path = `${parts.join('/')}${random.chance(0.3) ? `/${random.pick(oddSegments)}` : ''}`;
        const body = method === 'GET' || method === 'DELETE' ? undefined : {};
        const reply = await call(method, path, body, 'application/merge-patch+json');
        record(tally, `${method} ${path}`, reply, escapeSegments.includes(segment));
      } else if (action === 5) {
        const path = `${kind.collection}?${random.pick(oddQueries)}`;
        const reply = await call('GET', path);
        record(tally, `GET ${path}`, reply);
      } else if (action === 6 && random.chance(0.3)) {
        const reply = await call('DELETE', target);
        record(tally, `DELETE ${target}`, reply);
        if (reply.status < 300) acknowledged.delete(target);
      } else if (action === 7 && random.chance(0.1)) {
        const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdName}`;
        const current = await call('GET', path);
        const next = { ...widgetCrd(++crdGeneration), metadata: current.body.metadata };
        record(tally, `PUT CRD generation ${crdGeneration}`, await call('PUT', path, next));
      } else {
        const reply = await call('GET', target);
        record(tally, `GET ${target}`, reply);
      }
    }
  }

  await Promise.all(Array.from({ length: workers }, (_, w) => fuzz(new Random(seed + w))));

  let missing = 0;
  let undecodable = 0;
  const listed = new Map<string, Set<string>>();
  for (const kind of kinds) {
    const list = await call('GET', kind.collection);
    if (list.status !== 200) {
      tally.failures.push(`listing ${kind.collection}: ${list.status} ${JSON.stringify(list.body).slice(0, 300)}`);
      continue;
    }
    listed.set(kind.collection, new Set(list.body.items.map((item: any) => item.metadata.name)));
  }
  for (const [path, kind] of acknowledged) {
    const reply = await call('GET', path);
    const name = path.slice(kind.collection.length + 1);
    if (reply.status !== 200 || !listed.get(kind.collection)?.has(name)) {
      missing++;
      tally.failures.push(
        `acknowledged ${path} is gone: GET ${reply.status}, listed ${listed.get(kind.collection)?.has(name)}`,
      );
      continue;
    }
    const definition = definitionNameForKind(kind.group, kind.version, kind.kind);
    const found = definition
      ? decodeTypeError(definition, definitions()[definition], reply.body)
      : validateCustomResource(widgetSchema(), reply.body)[0];
    if (found || typeof reply.body.metadata?.name !== 'string') {
      undecodable++;
      tally.failures.push(`${path} is stored with a value of the wrong type: ${JSON.stringify(found)}`);
    }
  }
  const statuses = [...tally.byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  return {
    seed,
    workers,
    requests: tally.requests,
    statuses,
    kept: acknowledged.size,
    missing,
    undecodable,
    failures: tally.failures,
  };
}
