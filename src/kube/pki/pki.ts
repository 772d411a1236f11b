// The cluster's PKI in D/pki/: a CA (ca.crt, ca.key) and the API server's serving certificate (server.crt,
// server.key) for 127.0.0.1, localhost and kubernetes.default names — made on first start, reused afterwards.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as any);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

export interface Pki {
  caCert: string;
  serverCert: string;
  serverKey: string;
}

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const tenYears = 10 * 365 * 24 * 3600 * 1000;

async function exportKey(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0];
  return (await webcrypto.subtle.importKey('pkcs8', der, algorithm, true, ['sign'])) as unknown as CryptoKey;
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
}

async function makeCa(name: string) {
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}-ca`,
    notBefore: new Date(Date.now() - 3600_000),
    notAfter: new Date(Date.now() + tenYears),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) };
}

/** A leaf certificate from the CA for `subject`, for client or server use, naming `hosts` (DNS names or IPs). */
export async function issueCert(
  ca: { cert: string; key: string },
  subject: string,
  usage: 'client' | 'server',
  hosts: string[] = [],
  lifetimeMs = tenYears,
): Promise<{ cert: string; key: string }> {
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const caCert = new x509.X509Certificate(ca.cert);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([
      usage === 'client' ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth,
    ]),
    await x509.AuthorityKeyIdentifierExtension.create(caCert),
  ];
  if (hosts.length) {
    const names = hosts.map((h) =>
      /^[\d.]+$|:/.test(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h },
    );
    extensions.push(new x509.SubjectAlternativeNameExtension(names));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: caCert.subject,
    notBefore: new Date(Date.now() - 3600_000),
    notAfter: new Date(Date.now() + lifetimeMs),
    signingKey: await importKey(ca.key),
    publicKey: keys.publicKey,
    signingAlgorithm: algorithm,
    extensions,
  });
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) };
}

const serverHosts = [
  '127.0.0.1',
  '::1',
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
  '10.100.0.1',
];

/** Loads the PKI from `dir`, creating what is missing; `extraHosts` adds the bind address when it is not loopback. */
export async function ensurePki(dir: string, clusterName: string, extraHosts: string[] = []): Promise<Pki> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (name: string) => join(dir, name);
  if (!existsSync(file('ca.crt')) || !existsSync(file('ca.key'))) {
    const ca = await makeCa(clusterName);
    writeFileSync(file('ca.key'), ca.key, { mode: 0o600 });
    writeFileSync(file('ca.crt'), ca.cert);
  }
  const ca = { cert: readFileSync(file('ca.crt'), 'utf8'), key: readFileSync(file('ca.key'), 'utf8') };
  const hosts = [...new Set([...serverHosts, ...extraHosts])];
  const hostsFile = file('server.hosts');
  const sameHosts = existsSync(hostsFile) && readFileSync(hostsFile, 'utf8') === hosts.join(',');
  if (!sameHosts || !existsSync(file('server.crt')) || !existsSync(file('server.key'))) {
    const server = await issueCert(ca, 'CN=kube-apiserver', 'server', hosts);
    writeFileSync(file('server.key'), server.key, { mode: 0o600 });
    writeFileSync(file('server.crt'), server.cert);
    writeFileSync(hostsFile, hosts.join(','));
  }
  return {
    caCert: ca.cert,
    serverCert: readFileSync(file('server.crt'), 'utf8'),
    serverKey: readFileSync(file('server.key'), 'utf8'),
  };
}
