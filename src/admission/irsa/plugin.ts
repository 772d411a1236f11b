// The EKS pod identity webhook (amazon-eks-pod-identity-webhook) as an in-process mutating admission: a pod created
// with a ServiceAccount annotated `eks.amazonaws.com/role-arn` gets, in every container not listed in the pod's
// `eks.amazonaws.com/skip-containers`, AWS_STS_REGIONAL_ENDPOINTS=regional (unless the ServiceAccount's
// `eks.amazonaws.com/sts-regional-endpoints` is "false"), AWS_DEFAULT_REGION and AWS_REGION (unless either is set),
// AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE (unless either is set), and the mount of the projected volume
// `aws-iam-token` (a ServiceAccount token for `eks.amazonaws.com/audience`, default sts.amazonaws.com, lasting
// `eks.amazonaws.com/token-expiration` seconds — the pod's annotation over the ServiceAccount's, default and most
// 86400, least 600) at /var/run/secrets/eks.amazonaws.com/serviceaccount.
import type { AdmissionRequest, MutatingPlugin } from '../../kube/admission/chain.js';
import type { ApiContext } from '../../kube/rest/context.js';
import { getObject } from '../../kube/storage/objects.js';

export const annotationDomain = 'eks.amazonaws.com';
export const tokenMountPath = '/var/run/secrets/eks.amazonaws.com/serviceaccount';
export const tokenVolumeName = 'aws-iam-token';
export const defaultAudience = 'sts.amazonaws.com';
const defaultTokenExpiration = 86400;
const maxTokenExpiration = 86400;
const minTokenExpiration = 600;

const annotation = (name: string) => `${annotationDomain}/${name}`;

export interface IrsaSettings {
  roleArn: string;
  audience: string;
  regionalSts: boolean;
  tokenExpiration: number;
}

/** The webhook's reading of a ServiceAccount: undefined when it names no role. */
export function serviceAccountSettings(annotations: Record<string, string> = {}): IrsaSettings | undefined {
  const roleArn = annotations[annotation('role-arn')];
  if (!roleArn) return undefined;
  const regional = annotations[annotation('sts-regional-endpoints')];
  const expiration = Number.parseInt(annotations[annotation('token-expiration')] ?? '', 10);
  return {
    roleArn,
    audience: annotations[annotation('audience')] || defaultAudience,
    regionalSts: regional === undefined ? true : regional === 'true',
    tokenExpiration: Number.isNaN(expiration)
      ? defaultTokenExpiration
      : Math.min(maxTokenExpiration, Math.max(minTokenExpiration, expiration)),
  };
}

/** The pod's own `token-expiration` annotation (at least 600 s) overrides the ServiceAccount's. */
function podTokenExpiration(annotations: Record<string, string>, fallback: number): number {
  const value = annotations[annotation('token-expiration')];
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return fallback;
  return Math.max(minTokenExpiration, Number.parseInt(value, 10));
}

function skippedContainers(annotations: Record<string, string>): Set<string> {
  const value = annotations[annotation('skip-containers')];
  if (!value) return new Set();
  return new Set(value.split(',').map((name) => name.trim().replace(/^"(.*)"$/, '$1')));
}

function mutateContainer(container: any, settings: IrsaSettings, region: string, tokenFile: string) {
  container.env ??= [];
  const env: { name: string; value: string }[] = container.env;
  const has = (...names: string[]) => env.some((e) => names.includes(e?.name));
  const reserved = has('AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE');
  const regionSet = has('AWS_REGION', 'AWS_DEFAULT_REGION');
  if (!has('AWS_STS_REGIONAL_ENDPOINTS') && settings.regionalSts)
    env.push({ name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' });
  if (!regionSet && region)
    env.push({ name: 'AWS_DEFAULT_REGION', value: region }, { name: 'AWS_REGION', value: region });
  if (!reserved)
    env.push(
      { name: 'AWS_ROLE_ARN', value: settings.roleArn },
      { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: tokenFile },
    );
  if (env.length === 0) delete container.env;
  container.volumeMounts ??= [];
  if (!container.volumeMounts.some((m: any) => m?.name === tokenVolumeName))
    container.volumeMounts.push({ name: tokenVolumeName, readOnly: true, mountPath: tokenMountPath });
}

/** Applies the webhook's mutation to a pod for these settings. */
export function mutatePod(pod: any, settings: IrsaSettings, region: string): void {
  const annotations: Record<string, string> = pod.metadata?.annotations ?? {};
  const expirationSeconds = podTokenExpiration(annotations, settings.tokenExpiration);
  const skip = skippedContainers(annotations);
  const selector = pod.spec.nodeSelector ?? {};
  const windows = selector['kubernetes.io/os'] === 'windows' || selector['beta.kubernetes.io/os'] === 'windows';
  const unixPath = `${tokenMountPath}/token`;
  const tokenFile = windows ? `C:${unixPath.replace(/\//g, '\\')}` : unixPath;
  for (const container of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
    if (!skip.has(container?.name)) mutateContainer(container, settings, region, tokenFile);
  }
  pod.spec.volumes ??= [];
  const volumes: any[] = pod.spec.volumes;
  if (!volumes.some((v) => v?.name === tokenVolumeName)) {
    volumes.unshift({
      name: tokenVolumeName,
      projected: {
        defaultMode: 420,
        sources: [{ serviceAccountToken: { audience: settings.audience, expirationSeconds, path: 'token' } }],
      },
    });
  }
}

const isPodCreate = (request: AdmissionRequest) =>
  request.operation === 'CREATE' &&
  request.resource.group === '' &&
  request.resource.resource === 'pods' &&
  !request.subresource &&
  request.object !== undefined;

export function irsaAdmission(ctx: ApiContext, region: string): MutatingPlugin {
  return {
    name: 'pod-identity-webhook.amazonaws.com',
    async admit(request) {
      if (!isPodCreate(request)) return;
      const pod = request.object!;
      pod.spec ??= {};
      const namespace = request.namespace ?? pod.metadata?.namespace ?? 'default';
      const name = pod.spec.serviceAccountName || pod.spec.serviceAccount || 'default';
      const info = ctx.registry.lookup('', 'v1', 'serviceaccounts')!;
      const account = await getObject(ctx.store, info, namespace, name);
      const settings = serviceAccountSettings(account?.metadata?.annotations);
      if (settings) mutatePod(pod, settings, region);
    },
  };
}
