import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  familiarImageReference,
  InvalidImageReference,
  normalizeImageReference,
  normalizeRepository,
  repositoryOf,
} from './reference.js';

const digest = `sha256:${'a1'.repeat(32)}`;

test('references normalise as docker and the kubelet do', () => {
  const table: [string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:bars', 'docker.io/library/busybox:bars'],
    ['library/busybox:bars', 'docker.io/library/busybox:bars'],
    ['docker.io/library/busybox:bars', 'docker.io/library/busybox:bars'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['index.docker.io/library/busybox:1', 'docker.io/library/busybox:1'],
    ['bitnami/nginx:1.25', 'docker.io/bitnami/nginx:1.25'],
    ['nginx:Latest_1.2-a', 'docker.io/library/nginx:Latest_1.2-a'],
    [`busybox@${digest}`, `docker.io/library/busybox@${digest}`],
    [`busybox:bars@${digest}`, `docker.io/library/busybox:bars@${digest}`],
    ['localhost/app', 'localhost/app:latest'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['127.0.0.1:5000/team/app:v2', '127.0.0.1:5000/team/app:v2'],
    [`registry.example.com:8443/a/b/c@${digest}`, `registry.example.com:8443/a/b/c@${digest}`],
    ['public.ecr.aws/eks/coredns:v1.11.1', 'public.ecr.aws/eks/coredns:v1.11.1'],
    ['Registry.Example/app', 'Registry.Example/app:latest'],
    ['my_host/app:1', 'docker.io/my_host/app:1'],
  ];
  for (const [input, want] of table) assert.equal(normalizeImageReference(input), want, input);
});

test('invalid references are refused with docker’s words', () => {
  const table: [string, RegExp][] = [
    ['Busybox', /^invalid reference format: repository name \(library\/Busybox\) must be lowercase$/],
    ['docker.io/Library/busybox', /must be lowercase/],
    ['', /^invalid reference format$/],
    ['busy box', /^invalid reference format$/],
    ['busybox:', /^invalid reference format$/],
    ['busybox:-bad', /^invalid reference format$/],
    ['busybox@sha256:short', /^invalid reference format$/],
    ['-busybox', /^invalid reference format$/],
    ['a'.repeat(64).replace(/a/g, 'f'), /cannot specify 64-byte hexadecimal strings/],
    [`${'x'.repeat(250)}/app`, /not be more than 255 characters/],
  ];
  for (const [input, want] of table) {
    assert.throws(
      () => normalizeImageReference(input),
      (e: Error) => e instanceof InvalidImageReference && want.test(e.message),
      input,
    );
  }
});

test('repositories and the familiar short form', () => {
  assert.equal(repositoryOf('busybox:bars'), 'docker.io/library/busybox');
  assert.equal(repositoryOf(`localhost:5000/app@${digest}`), 'localhost:5000/app');
  assert.equal(normalizeRepository('busybox'), 'docker.io/library/busybox');
  assert.equal(normalizeRepository('docker.io/library/busybox'), 'docker.io/library/busybox');
  assert.throws(() => normalizeRepository('busybox:1'), /not a repository/);
  const familiar: [string, string][] = [
    ['docker.io/library/busybox:bars', 'busybox:bars'],
    ['docker.io/bitnami/nginx:1', 'bitnami/nginx:1'],
    ['docker.io/library/a/b:1', 'library/a/b:1'],
    [`docker.io/library/busybox@${digest}`, `busybox@${digest}`],
    ['localhost:5000/app:1', 'localhost:5000/app:1'],
  ];
  for (const [input, want] of familiar) assert.equal(familiarImageReference(input), want, input);
});
