// registries.yaml (k3s format) rendered into containerd hosts.toml files.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseRegistries, renderHostsToml, writeRegistryHosts } from './registries.js';

test('mirrors, plain HTTP endpoints, auth and TLS become hosts.toml', () => {
  const hosts = renderHostsToml(
    parseRegistries(`
mirrors:
  docker.io:
    endpoint: ["http://127.0.0.1:5000", "https://mirror.example:8443"]
  "*":
    endpoint: ["http://10.0.0.9:5000"]
configs:
  "mirror.example:8443":
    auth: {username: u, password: p}
    tls: {insecure_skip_verify: true, ca_file: /ca.pem}
  "registry.example":
    tls: {cert_file: /c.pem, key_file: /k.pem}
`),
  );
  assert.deepEqual([...hosts.keys()].sort(), ['_default', 'docker.io', 'mirror.example:8443', 'registry.example']);
  const docker = hosts.get('docker.io')!;
  assert.match(docker, /^server = "https:\/\/registry-1\.docker\.io"$/m);
  assert.match(docker, /\[host\."http:\/\/127\.0\.0\.1:5000"\]\n {2}capabilities = \["pull", "resolve"\]/);
  assert.ok(docker.indexOf('127.0.0.1:5000') < docker.indexOf('mirror.example'));
  assert.match(docker, /skip_verify = true/);
  assert.match(docker, /ca = "\/ca\.pem"/);
  assert.match(docker, new RegExp(`Authorization = "Basic ${Buffer.from('u:p').toString('base64')}"`));
  assert.doesNotMatch(hosts.get('_default')!, /server =/);
  assert.match(hosts.get('registry.example')!, /client = \[\["\/c\.pem", "\/k\.pem"\]\]/);
});

test('bad endpoints are refused; files are written per registry and an absent file clears them', () => {
  assert.throws(() => parseRegistries('mirrors: {docker.io: {endpoint: ["127.0.0.1:5000"]}}'), /needs http/);
  const dir = mkdtempSync(join(tmpdir(), 'skiff-registries-'));
  try {
    writeFileSync(join(dir, 'registries.yaml'), 'mirrors: {docker.io: {endpoint: ["http://127.0.0.1:5000"]}}\n');
    assert.deepEqual(writeRegistryHosts(join(dir, 'registries.yaml'), join(dir, 'certs.d')), ['docker.io']);
    assert.match(readFileSync(join(dir, 'certs.d', 'docker.io', 'hosts.toml'), 'utf8'), /127\.0\.0\.1:5000/);
    assert.deepEqual(writeRegistryHosts(join(dir, 'none.yaml'), join(dir, 'certs.d')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
