// Every operation of botocore's EKS model (the aws CLI's own, read from the installed botocore) reaches a handler:
// sent with names that do not exist, each answers as EKS does for them (ResourceNotFoundException, a refusal, an
// empty list), never UnknownOperationException and never a server error; every paginator's operation pages with
// maxResults and refuses a bad one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { startTestEksApi, type TestEksApi } from './testing/api.js';

interface Operation {
  name: string;
  http: { method: string; requestUri: string };
}

function botocoreModel(): {
  operations: Record<string, Operation>;
  paginators: Record<string, { limit_key?: string; result_key: string }>;
} {
  const root = execFileSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'], {
    encoding: 'utf8',
  }).trim();
  const dir = join(root, 'data', 'eks', '2017-11-01');
  const service = JSON.parse(gunzipSync(readFileSync(join(dir, 'service-2.json.gz'))).toString('utf8'));
  const paginators = JSON.parse(readFileSync(join(dir, 'paginators-1.json'), 'utf8')).pagination;
  return { operations: service.operations, paginators };
}

const arn = encodeURIComponent('arn:aws:eks:ap-northeast-2:111122223333:cluster/nope');
const role = encodeURIComponent('arn:aws:iam::111122223333:role/nope');

/** The operation's path with `{name}` the test cluster and every other member a name nothing has. */
function pathOf(op: Operation): string {
  return op.http.requestUri.replace(/\{(\w+)\+?\}/g, (_, member: string) => {
    if (member === 'name') return 'skiff';
    if (member === 'resourceArn') return arn;
    if (member === 'principalArn' || member === 'policyArn') return role;
    return 'nope';
  });
}

let api: TestEksApi;
const model = botocoreModel();
before(async () => {
  api = await startTestEksApi();
});
after(() => api.close());

describe("every operation of botocore's EKS model", () => {
  const names = Object.keys(model.operations).sort();
  it('the model has the operations this test expects', () => assert.ok(names.length >= 64, String(names.length)));
  for (const name of names) {
    const op = model.operations[name];
    it(`${name} (${op.http.method} ${op.http.requestUri}) answers`, async () => {
      const reply = await api.call(op.http.method, pathOf(op), '{}');
      assert.notEqual(reply.errorType, 'UnknownOperationException', JSON.stringify(reply.body));
      assert.ok(reply.status < 500, `${reply.status} ${JSON.stringify(reply.body)}`);
      if (reply.status >= 400) assert.equal(typeof reply.body?.message, 'string');
    });
  }
});

describe("every paginator of botocore's EKS model", () => {
  for (const [name, pager] of Object.entries(model.paginators)) {
    const op = model.operations[name];
    it(`${name} pages by ${pager.limit_key} and refuses maxResults=0`, async () => {
      const path = pathOf(op);
      const sep = path.includes('?') ? '&' : '?';
      const ok = await api.call(
        op.http.method,
        `${path}${sep}maxResults=1`,
        op.http.method === 'POST' ? '{"maxResults":1}' : undefined,
      );
      if (ok.status === 404 && ok.errorType === 'ResourceNotFoundException') return; // names a resource (nope) that is not there
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.ok(Array.isArray(ok.body[pager.result_key]), JSON.stringify(ok.body));
      const bad = await api.call(
        op.http.method,
        `${path}${sep}maxResults=0`,
        op.http.method === 'POST' ? '{"maxResults":0}' : undefined,
      );
      assert.equal(bad.errorType, 'InvalidParameterException', JSON.stringify(bad.body));
    });
  }
});
