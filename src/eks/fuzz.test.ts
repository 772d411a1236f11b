// A seeded, bounded fuzz run against the EKS API on loopback, signed as an SDK signs (issue 15): creates of Fargate
// profiles and node groups with odd values put at random places, describes, lists with odd paging, deletes and tag
// calls with odd segments in paths. It asserts no 5xx, every error typed (`x-amzn-ErrorType` and a `message`), no
// answer slower than 5 s, no odd path segment answered with a 2xx, and every acknowledged profile still there with
// members of the types the service model declares. The seed and counts are printed; SKIFF_FUZZ_SEED replays a run.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { fuzzSeed, mutate, oddSegments, oddValues, Random } from '../testing/fuzz.js';
import { type EksReply, startTestEksApi, type TestEksApi } from './testing/api.js';

const requestCount = Number(process.env.SKIFF_FUZZ_REQUESTS) || 2000;
const slowMs = 5000;
const role = 'arn:aws:iam::111122223333:role/fargate-pod-role';

let api: TestEksApi;
before(async () => {
  api = await startTestEksApi();
});
after(() => api.close());

const profileBody = (name: string) => ({
  fargateProfileName: name,
  podExecutionRoleArn: role,
  selectors: [{ namespace: 'default', labels: { app: 'web' } }],
  tags: { team: 'a' },
});
const nodegroupBody = (name: string) => ({
  nodegroupName: name,
  nodeRole: 'arn:aws:iam::111122223333:role/node-role',
  subnets: [],
  scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 },
  instanceTypes: ['t3.medium'],
  labels: { a: 'b' },
});
const escapeSegments = oddSegments.filter((s) => s.includes('%') || s === '.' || s === '..');
const oddQueries = [
  'maxResults=0',
  'maxResults=-1',
  'maxResults=abc',
  'maxResults=101',
  'nextToken=%zz',
  'nextToken=abc',
  'maxResults=1&nextToken=c2tpZmY6',
];

const isStringMap = (value: unknown) =>
  value === undefined ||
  (typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string'));

it('survives a seeded fuzz run with no 5xx, untyped error, stall or escape, and nothing mistyped stored', async () => {
  const seed = fuzzSeed(20261205);
  const random = new Random(seed);
  const byStatus = new Map<number, number>();
  const failures: string[] = [];
  const profiles = new Set<string>();
  let requests = 0;
  let serial = 0;

  async function send(method: string, path: string, body?: unknown, oddPath = false): Promise<EksReply> {
    const started = Date.now();
    const reply = await api.call(method, path, body === undefined ? undefined : JSON.stringify(body));
    const ms = Date.now() - started;
    requests++;
    byStatus.set(reply.status, (byStatus.get(reply.status) ?? 0) + 1);
    const fail = (why: string) => {
      if (failures.length < 30)
        failures.push(
          `${method} ${path} ${JSON.stringify(body)?.slice(0, 200)} → ${reply.status} ${why}: ${JSON.stringify(reply.body)?.slice(0, 200)}`,
        );
    };
    if (reply.status >= 500) fail('server error');
    if (ms > slowMs) fail(`slow (${ms} ms)`);
    if (oddPath && reply.status < 300) fail('odd path segment answered');
    if (reply.status >= 400 && (!reply.errorType || typeof reply.body?.message !== 'string')) fail('untyped error');
    return reply;
  }

  while (requests < requestCount) {
    const action = random.int(7);
    const known = [...profiles];
    if (action <= 1 || known.length === 0) {
      const name = `p${serial++}`;
      const body = random.chance(0.7) ? mutate(random, profileBody(name)) : profileBody(name);
      const reply = await send('POST', '/clusters/skiff/fargate-profiles', body);
      if (reply.status === 200) profiles.add(reply.body.fargateProfile.fargateProfileName);
    } else if (action === 2) {
      await send('POST', '/clusters/skiff/node-groups', mutate(random, nodegroupBody(`n${serial++}`)));
    } else if (action === 3) {
      const segment = random.pick(oddSegments);
      const method = random.pick(['GET', 'DELETE']);
      const where = random.pick([
        `/clusters/${segment}`,
        `/clusters/skiff/fargate-profiles/${segment}`,
        `/clusters/skiff/node-groups/${segment}`,
        `/clusters/${segment}/fargate-profiles`,
      ]);
      await send(method, where, undefined, escapeSegments.includes(segment));
    } else if (action === 4) {
      await send(
        'GET',
        `/clusters/skiff/${random.pick(['fargate-profiles', 'node-groups'])}?${random.pick(oddQueries)}`,
      );
    } else if (action === 5) {
      const arn = random.chance(0.5) ? encodeURIComponent(String(random.pick(oddValues))) : random.pick(oddSegments);
      const body = random.chance(0.5) ? { tags: random.pick(oddValues) } : { tags: { k: random.pick(oddValues) } };
      await send(
        random.pick(['GET', 'POST', 'DELETE']),
        `/tags/${arn}${random.chance(0.3) ? '?tagKeys=%zz' : ''}`,
        body,
      );
    } else if (random.chance(0.2)) {
      const name = random.pick(known);
      const reply = await send('DELETE', `/clusters/skiff/fargate-profiles/${name}`);
      if (reply.status === 200) profiles.delete(name);
    } else {
      await send('GET', `/clusters/skiff/fargate-profiles/${random.pick(known)}`);
    }
  }

  let missing = 0;
  let mistyped = 0;
  for (const name of profiles) {
    const reply = await api.call('GET', `/clusters/skiff/fargate-profiles/${name}`);
    if (reply.status !== 200) {
      missing++;
      failures.push(`acknowledged profile ${name} is gone: ${reply.status}`);
      continue;
    }
    const profile = reply.body.fargateProfile;
    const typed =
      typeof profile.fargateProfileName === 'string' &&
      isStringMap(profile.tags) &&
      profile.selectors.every((s: any) => typeof s.namespace === 'string' && isStringMap(s.labels));
    if (!typed) {
      mistyped++;
      failures.push(`profile ${name} is stored with a member of the wrong type: ${JSON.stringify(profile)}`);
    }
  }
  const statuses = [...byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  console.log(
    `eks fuzz: seed ${seed}, ${requests} requests (${statuses}), ${profiles.size} profiles kept, ${missing} missing, ${mistyped} mistyped`,
  );
  assert.deepEqual(failures, []);
});
