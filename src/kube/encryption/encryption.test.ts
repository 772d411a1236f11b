// Encryption at rest: kube-apiserver's EncryptionConfiguration read and refused as it refuses it, Secrets written
// as `k8s:enc:aescbc:v1:<key>:…` (and aesgcm) that the kube API reads back intact, the plaintext nowhere in the
// raw store, and a key rotation: new key first, the old one still reads, start-up rewrites under the new key.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { stringify } from 'yaml';
import { openStore } from '../../store/index.js';
import type { Backend } from '../../store/types.js';
import { createApiContext, inProcessClient } from '../index.js';
import { aescbcProvider, newEncryptionConfiguration, parseEncryptionConfiguration } from './config.js';
import { enableEncryptionAtRest, openEncryptionAtRest } from './index.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-enc-'));
  dirs.push(dir);
  return dir;
};

const secretValue = 'hunter2-is-my-password';
const secret = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'default' },
  stringData: { password: secretValue },
});
const secretRef = { apiVersion: 'v1', kind: 'Secret', namespace: 'default' };
const secretKey = (name: string) => `/registry/core/secrets/default/${name}`;

async function apiOver(store: Backend) {
  const ctx = await createApiContext(store, { authorization: false });
  return inProcessClient(ctx);
}

it('writes Secrets encrypted with the first key and reads them back; ConfigMaps stay as they are', async () => {
  const dir = tempDir();
  const raw = await openStore({ kind: 'memory', path: dir });
  const atRest = await openEncryptionAtRest(raw, { pkiDir: join(dir, 'pki') });
  assert.equal(statSync(atRest.file).mode & 0o777, 0o600);
  const client = await apiOver(atRest.store);
  await client.create(secret('db'));
  await client.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm', namespace: 'default' },
    data: { a: 'b' },
  });
  const stored = (await raw.get(secretKey('db')))!.value;
  assert.match(stored, /^k8s:enc:aescbc:v1:key1:/);
  assert.doesNotMatch(stored, /hunter2/);
  assert.doesNotMatch(stored, new RegExp(Buffer.from(secretValue).toString('base64')));
  assert.match((await raw.get('/registry/core/configmaps/default/cm'))!.value, /^\{/);
  const read = await client.get<any>(secretRef, 'db');
  assert.equal(Buffer.from(read.data.password, 'base64').toString(), secretValue);
  const listed = await client.list<any>(secretRef);
  assert.equal(listed.items.length, 1);
});

it('rotates: a new key put first still reads the old, and the restart rewrites every Secret under the new key', async () => {
  const dir = tempDir();
  const file = join(dir, 'enc.yaml');
  const key1 = aescbcProvider('key1');
  const write = (providers: object[]) =>
    writeFileSync(
      file,
      stringify({ ...newEncryptionConfiguration(['secrets']), resources: [{ resources: ['secrets'], providers }] }),
    );
  write([key1]);
  const raw = await openStore({ kind: 'memory', path: dir });
  const first = await openEncryptionAtRest(raw, { pkiDir: dir, file });
  await (await apiOver(first.store)).create(secret('rotated'));
  assert.match((await raw.get(secretKey('rotated')))!.value, /^k8s:enc:aescbc:v1:key1:/);

  write([{ aesgcm: { keys: [{ name: 'key2', secret: Buffer.alloc(32, 7).toString('base64') }] } }, key1]);
  const second = await openEncryptionAtRest(raw, { pkiDir: dir, file });
  assert.equal(second.rewritten, 1);
  assert.match((await raw.get(secretKey('rotated')))!.value, /^k8s:enc:aesgcm:v1:key2:/);
  // The old key can go now.
  write([{ aesgcm: { keys: [{ name: 'key2', secret: Buffer.alloc(32, 7).toString('base64') }] } }]);
  const third = await openEncryptionAtRest(raw, { pkiDir: dir, file });
  const read = await (await apiOver(third.store)).get<any>(secretRef, 'rotated');
  assert.equal(Buffer.from(read.data.password, 'base64').toString(), secretValue);
});

it('turns encryption on in a running API and encrypts what was stored in the clear', async () => {
  const dir = tempDir();
  const file = join(dir, 'enc.yaml');
  writeFileSync(
    file,
    stringify({
      ...newEncryptionConfiguration(['secrets']),
      resources: [{ resources: ['secrets'], providers: [{ identity: {} }] }],
    }),
  );
  const raw = await openStore({ kind: 'memory', path: dir });
  const atRest = await openEncryptionAtRest(raw, { pkiDir: dir, file });
  const client = await apiOver(atRest.store);
  await client.create(secret('clear'));
  assert.match((await raw.get(secretKey('clear')))!.value, /hunter2|aHVudGVy/);
  assert.deepEqual(await enableEncryptionAtRest(atRest, ['secrets']), ['secrets']);
  assert.match((await raw.get(secretKey('clear')))!.value, /^k8s:enc:aescbc:v1:key\d+:/);
  assert.match(readFileSync(file, 'utf8'), /aescbc/);
  assert.deepEqual(await enableEncryptionAtRest(atRest, ['secrets']), []);
  const read = await client.get<any>(secretRef, 'clear');
  assert.equal(Buffer.from(read.data.password, 'base64').toString(), secretValue);
});

it('refuses what kube-apiserver refuses', () => {
  const config = (providers: object[], resources = ['secrets']) =>
    stringify({
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'EncryptionConfiguration',
      resources: [{ resources, providers }],
    });
  assert.throws(() => parseEncryptionConfiguration('kind: Other'), /got unexpected config type/);
  assert.throws(
    () => parseEncryptionConfiguration(config([{ aescbc: { keys: [{ name: 'k', secret: 'c2hvcnQ=' }] } }])),
    /secret is not of the expected length, got 5, expected one of \[16 24 32\]/,
  );
  assert.throws(
    () => parseEncryptionConfiguration(config([{ secretbox: { keys: [] } }])),
    /secretbox provider is not supported/,
  );
  assert.throws(() => parseEncryptionConfiguration(config([{ aescbc: { keys: [] } }])), /keys is required/);
  assert.equal(parseEncryptionConfiguration(config([{ identity: {} }])).length, 1);
});
