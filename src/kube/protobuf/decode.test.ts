// Decodes the protobuf bodies real kubectl 1.32 sent (captured by testing/capture.ts) and compares each with
// kubectl's own `--dry-run=client -o json` of the same command; plus the errors bad input gets.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeProtobufObject, protobufMagic } from './decode.js';

const testdata = new URL('./testdata/', import.meta.url);
const fixtures = readdirSync(testdata).filter((f) => f.endsWith('.pb'));
const read = (name: string) => readFileSync(new URL(name, testdata));

test('fixtures cover the kubectl create generators', () => {
  for (const name of ['namespace', 'configmap', 'secret', 'deployment', 'service', 'serviceaccount', 'job', 'cronjob'])
    assert.ok(fixtures.includes(`${name}.pb`), `${name}.pb captured`);
});

for (const file of fixtures) {
  test(`kubectl ${file.replace('.pb', '')}: protobuf decodes to kubectl's JSON`, () => {
    const want = JSON.parse(read(file.replace('.pb', '.json')).toString('utf8'));
    assert.deepEqual(decodeProtobufObject(read(file)), want);
  });
}

test('decoded secrets keep binary-safe base64 data and field order follows the Go structs', () => {
  const secret = decodeProtobufObject(read('secret.pb'));
  assert.equal(Buffer.from(secret.data.utf, 'base64').toString('utf8'), '\u00ffé');
  const deployment = decodeProtobufObject(read('deployment.pb'));
  assert.deepEqual(Object.keys(deployment), ['kind', 'apiVersion', 'metadata', 'spec', 'status']);
  assert.deepEqual(Object.keys(deployment.spec), ['replicas', 'selector', 'template', 'strategy']);
  assert.equal(deployment.metadata.creationTimestamp, null);
});

test('bad input gets a clear error', () => {
  const ns = read('namespace.pb');
  assert.throws(() => decodeProtobufObject(Buffer.from('{"kind":"Namespace"}')), /magic/);
  assert.throws(() => decodeProtobufObject(ns.subarray(0, ns.length - 3)), /invalid protobuf/);
  // An envelope for a kind Skiff has no schema for: TypeMeta{apiVersion "v1", kind "Pod"}.
  const typeMeta = Buffer.from([0x0a, 0x02, 0x76, 0x31, 0x12, 0x03, 0x50, 0x6f, 0x64]);
  const pod = Buffer.concat([protobufMagic, Buffer.from([0x0a, typeMeta.length]), typeMeta]);
  assert.throws(() => decodeProtobufObject(pod), /v1 Pod is not supported.*send JSON/);
  // A field number the schema does not know is refused rather than dropped.
  const nsBody = Buffer.concat([protobufMagic, Buffer.from([0x0a, 0x0f]), ns.subarray(6, 21)]);
  const raw = Buffer.from([0x0a, 0x05, 0x0a, 0x03, 0x66, 0x6f, 0x6f, 0xf8, 0x01, 0x01]);
  assert.throws(
    () => decodeProtobufObject(Buffer.concat([nsBody, Buffer.from([0x12, raw.length]), raw])),
    /unsupported field 31 .* in Namespace/,
  );
  assert.throws(() => decodeProtobufObject(Buffer.concat([protobufMagic, Buffer.from([0x12, 0x00])])), /no apiVersion/);
});
