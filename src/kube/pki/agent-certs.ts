// The certificates between the kube API and the agents, as kube-apiserver and kubelets use them: the agents serve
// HTTPS with a certificate from the cluster CA for their address and host name, and accept only the client
// certificate the kube API holds (D/pki/apiserver-kubelet-client.{crt,key}, CN kube-apiserver-kubelet-client,
// O system:masters, as kubeadm names it). Nothing secret is published on any object.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { algorithm, exportKey, importKey, serial } from './pki.js';

/** What one side of the agent connection holds: the cluster CA to trust, and its own certificate and key. */
export interface AgentTls {
  ca: string;
  cert: string;
  key: string;
}

export const agentClientName = 'kube-apiserver-kubelet-client';
const oneYear = 365 * 24 * 3600 * 1000;

function readCa(dir: string) {
  return { cert: readFileSync(join(dir, 'ca.crt'), 'utf8'), key: readFileSync(join(dir, 'ca.key'), 'utf8') };
}

async function issue(
  ca: { cert: string; key: string },
  subject: string,
  usage: 'client' | 'server',
  hosts: string[] = [],
): Promise<{ cert: string; key: string }> {
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as any;
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
    notAfter: new Date(Date.now() + oneYear),
    signingKey: await importKey(ca.key),
    publicKey: keys.publicKey,
    signingAlgorithm: algorithm,
    extensions,
  });
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) };
}

/** The kube API's client certificate for agents, from the PKI directory `dir` (made on first use). */
export async function ensureAgentClientCert(dir: string): Promise<AgentTls> {
  const ca = readCa(dir);
  const certFile = join(dir, 'apiserver-kubelet-client.crt');
  const keyFile = join(dir, 'apiserver-kubelet-client.key');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    const issued = await issue(ca, `CN=${agentClientName}, O=system:masters`, 'client');
    writeFileSync(keyFile, issued.key, { mode: 0o600 });
    writeFileSync(certFile, issued.cert);
  }
  return { ca: ca.cert, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

/** A fresh serving certificate for an agent's endpoint (its host name and addresses), from the CA in `dir`. */
export async function issueAgentServingCert(
  dir: string,
  hostName: string,
  addresses = ['127.0.0.1'],
): Promise<AgentTls> {
  const ca = readCa(dir);
  const issued = await issue(ca, `CN=system:node:${hostName}, O=system:nodes`, 'server', [hostName, ...addresses]);
  return { ca: ca.cert, ...issued };
}
