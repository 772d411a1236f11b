// The certificates between the kube API and the agents, as kube-apiserver and kubelets use them: the agents serve
// HTTPS with a certificate from the cluster CA for their address and host name, and accept only the client
// certificate the kube API holds (D/pki/apiserver-kubelet-client.{crt,key}, CN kube-apiserver-kubelet-client,
// O system:masters, as kubeadm names it). Nothing secret is published on any object.
import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCert } from './pki.js';

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

/** The kube API's client certificate for agents, from the PKI directory `dir` (made on first use). */
export async function ensureAgentClientCert(dir: string): Promise<AgentTls> {
  const ca = readCa(dir);
  const certFile = join(dir, 'apiserver-kubelet-client.crt');
  const keyFile = join(dir, 'apiserver-kubelet-client.key');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    const issued = await issueCert(ca, `CN=${agentClientName}, O=system:masters`, 'client', [], oneYear);
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
  const issued = await issueCert(
    ca,
    `CN=system:node:${hostName}, O=system:nodes`,
    'server',
    [hostName, ...addresses],
    oneYear,
  );
  return { ca: ca.cert, ...issued };
}
