// What eksctl does after creating a profile that selects kube-system (pkg/fargate/coredns): annotate the CoreDNS
// Deployment's pod template with eks.amazonaws.com/compute-type=fargate, then wait until its pods run on fargate-*
// nodes — through the running Skiff's kube API (D/kubeconfig) with the HTTPS client.
import { existsSync } from 'node:fs';
import { ApiError } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import { HttpKubeClient, KubeconfigError } from '../../kube/client/http.js';
import type { KubeClient } from '../../kube/client/types.js';
import { dataPaths, defaultDataDir } from '../config.js';
import { CliError } from '../errors.js';
import type { ConfigSelector } from './cluster-config.js';
import { log as eksctlLog } from './log.js';

const NAME = 'coredns';
const COMPONENT_LABEL = 'eks.amazonaws.com/component';
const COMPUTE_TYPE = 'eks.amazonaws.com/compute-type';
const deployments = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system' };
const pods = { apiVersion: 'v1', kind: 'Pod', namespace: 'kube-system' };

/** A selector that would capture CoreDNS: kube-system with no labels, or exactly the CoreDNS component label. */
export function selectsCoreDNS(selectors: ConfigSelector[]): boolean {
  return selectors.some((s) => {
    if (s.namespace !== 'kube-system') return false;
    const labels = Object.entries(s.labels ?? {});
    return labels.length === 0 || (labels.length === 1 && labels[0][0] === COMPONENT_LABEL && labels[0][1] === NAME);
  });
}

/** The kubeconfig of the Skiff that got the profile: --data-dir's, else the default data dir's, else $KUBECONFIG. */
export function skiffKubeconfigPath(dataDir?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (dataDir) return dataPaths(dataDir).kubeconfig;
  const running = dataPaths(defaultDataDir()).kubeconfig;
  return existsSync(running) ? running : env.KUBECONFIG?.split(':')[0] || running;
}

interface Deployment extends KubeObject {
  spec?: { replicas?: number; template?: { metadata?: { annotations?: Record<string, string> } } };
  status?: { readyReplicas?: number };
}

interface Pod extends KubeObject {
  spec?: { nodeName?: string };
  status?: { phase?: string };
}

export type CoreDNSLog = { info(message: string): unknown; warning(message: string): unknown };
export type CoreDNSOutcome = 'no-deployment' | 'scheduled' | 'timed-out';

const onFargate = (annotations: Record<string, string> | undefined) => annotations?.[COMPUTE_TYPE] === 'fargate';

/** eksctl's IsScheduledOnFargate: the Deployment annotated and fully ready, every CoreDNS pod Running on fargate-*. */
async function scheduledOnFargate(client: KubeClient, log: CoreDNSLog, said: Set<string>): Promise<boolean> {
  const say = (message: string) => {
    if (!said.has(message)) log.info(message);
    said.add(message);
  };
  const deployment = await client.get<Deployment>(deployments, NAME);
  const deploymentDone =
    onFargate(deployment.spec?.template?.metadata?.annotations) &&
    (deployment.spec?.replicas ?? 1) === (deployment.status?.readyReplicas ?? 0);
  if (deploymentDone) say(`"${NAME}" is now scheduled onto Fargate`);
  const list = await client.list<Pod>(pods, { labelSelector: `${COMPONENT_LABEL}=${NAME}` });
  const podsDone = list.items.every(
    (p) =>
      onFargate(p.metadata.annotations) && p.status?.phase === 'Running' && !!p.spec?.nodeName?.startsWith('fargate-'),
  );
  if (podsDone) say(`"${NAME}" pods are now scheduled onto Fargate`);
  return deploymentDone && podsDone;
}

async function annotateForFargate(client: KubeClient): Promise<void> {
  const patch = { spec: { template: { metadata: { annotations: { [COMPUTE_TYPE]: 'fargate' } } } } };
  const patched = await client.patch<Deployment>(deployments, NAME, patch, 'merge');
  const value = patched.spec?.template?.metadata?.annotations?.[COMPUTE_TYPE];
  if (value === undefined) {
    throw new Error(
      `could not find annotation "${COMPUTE_TYPE}" on patched deployment "${NAME}": patching must have failed`,
    );
  }
  if (value !== 'fargate') {
    throw new Error(`unexpected value "${value}" for annotation "${COMPUTE_TYPE}" on "${NAME}" patched deployment`);
  }
}

/**
 * Skips (with a log line) when kube-system has no coredns Deployment; otherwise annotates it unless it is already
 * on Fargate, then polls until scheduled or `timeoutMs` passes — a timeout is logged with eksctl's text, not thrown.
 */
export async function scheduleCoreDNSOnFargate(
  client: KubeClient,
  options: { timeoutMs: number; pollMs?: number; log?: CoreDNSLog },
): Promise<CoreDNSOutcome> {
  const { timeoutMs, pollMs = 2000, log = eksctlLog } = options;
  const said = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  try {
    if (await scheduledOnFargate(client, log, said)) return 'scheduled';
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 404)) throw error;
    log.info(`no "${NAME}" deployment in namespace "kube-system"; skipping scheduling "${NAME}" onto Fargate`);
    return 'no-deployment';
  }
  try {
    await annotateForFargate(client);
  } catch (error) {
    throw new Error(`failed to make "${NAME}" deployment schedulable on Fargate: ${(error as Error).message}`);
  }
  log.info(`"${NAME}" is now schedulable onto Fargate`);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
    if (await scheduledOnFargate(client, log, said)) return 'scheduled';
  }
  log.warning(`timed out while waiting for "${NAME}" to be scheduled on Fargate`);
  return 'timed-out';
}

/** The CLI's CoreDNS step: the HTTPS client from the running Skiff's kubeconfig; failures are one-line CliErrors. */
export async function moveCoreDNSOntoFargate(options: {
  dataDir?: string;
  timeoutMs: number;
}): Promise<CoreDNSOutcome> {
  let client: HttpKubeClient;
  try {
    client = HttpKubeClient.fromKubeconfig(skiffKubeconfigPath(options.dataDir));
  } catch (error) {
    if (error instanceof KubeconfigError) throw new CliError(`cannot move "${NAME}" onto Fargate: ${error.message}`);
    throw error;
  }
  try {
    return await scheduleCoreDNSOnFargate(client, { timeoutMs: options.timeoutMs });
  } catch (error) {
    throw new CliError(`failed to schedule core-dns on fargate: ${(error as Error).message}`);
  } finally {
    client.close();
  }
}
