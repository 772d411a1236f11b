import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readTar, writeTar } from '../oci/tar.js';
import { CONTAINERD_NAME, nameIndex, OCI_REF_NAME } from './import-names.js';

const digest = `sha256:${'ab'.repeat(32)}`;
const entry = (annotations?: Record<string, string>) => ({ mediaType: 'm', digest, size: 1, annotations });
const names = (annotations: Record<string, string> | undefined, base?: string) =>
  nameIndex({ schemaVersion: 2, manifests: [entry(annotations)] }, base).names;

test('an OCI index entry is named by its annotations, normalised, a bare tag taking --base-name', () => {
  assert.deepEqual(names({ [OCI_REF_NAME]: 'bars' }, 'busybox'), ['docker.io/library/busybox:bars']);
  assert.deepEqual(names({ [OCI_REF_NAME]: 'bars' }, 'docker.io/library/busybox'), ['docker.io/library/busybox:bars']);
  assert.deepEqual(names({ [OCI_REF_NAME]: 'busybox:1.36' }), ['docker.io/library/busybox:1.36']);
  assert.deepEqual(names({ [OCI_REF_NAME]: 'localhost:5000/app:v1' }), ['localhost:5000/app:v1']);
  assert.deepEqual(names({ [CONTAINERD_NAME]: 'quay.io/x/y:1', [OCI_REF_NAME]: '1' }), ['quay.io/x/y:1']);
  assert.deepEqual(names(undefined, 'busybox'), [`docker.io/library/busybox@${digest}`]);
  assert.deepEqual(names(undefined), []);
  const { index } = nameIndex({ manifests: [entry({ [OCI_REF_NAME]: 'bars' })] }, 'busybox');
  assert.equal(index.manifests![0]!.annotations![CONTAINERD_NAME], 'docker.io/library/busybox:bars');
});

test('a bare tag without --base-name, or a bad name, is refused', () => {
  assert.throws(() => names({ [OCI_REF_NAME]: 'bars' }), /only the tag "bars": pass --base-name <repository>/);
  assert.throws(() => names({ [OCI_REF_NAME]: 'bars' }, 'Busybox'), /--base-name Busybox: .*must be lowercase/);
  assert.throws(() => names({ [OCI_REF_NAME]: 'bars' }, 'busybox:1'), /not a repository/);
  assert.throws(() => names({ [CONTAINERD_NAME]: 'Bad/Name:1' }), /is not a valid image name/);
});

test('tar entries read back as written', () => {
  const entries = [
    { path: 'blobs', type: 'dir' as const },
    { path: 'blobs/sha256/x', type: 'file' as const, content: Buffer.from('hello') },
    { path: `${'d'.repeat(120)}/index.json`, type: 'file' as const, content: Buffer.from('{}') },
    { path: 'link', type: 'symlink' as const, linkname: 'blobs' },
  ];
  const read = readTar(writeTar(entries));
  assert.deepEqual(
    read.map((e) => [e.path, e.type, e.content?.toString() ?? e.linkname]),
    [
      ['blobs', 'dir', undefined],
      ['blobs/sha256/x', 'file', 'hello'],
      [`${'d'.repeat(120)}/index.json`, 'file', '{}'],
      ['link', 'symlink', 'blobs'],
    ],
  );
});
