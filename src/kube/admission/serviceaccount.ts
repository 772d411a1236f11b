// kube-apiserver's ServiceAccount admission for Pod CREATE: the pod runs as `default` unless it names another
// ServiceAccount, which must exist, and takes its imagePullSecrets when it names none; unless automountServiceAccountToken (the pod's, else the ServiceAccount's) is
// false, it gets the projected `kube-api-access-xxxxx` volume (a bound token, the cluster CA from
// kube-root-ca.crt, the namespace) mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in every
// container that does not mount something there already.
import { randomInt } from 'node:crypto';
import { forbidden } from '../api/errors.js';
import type { ApiContext } from '../rest/context.js';
import { getObject } from '../storage/objects.js';
import type { MutatingPlugin } from './chain.js';

export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export function apiAccessVolume(name: string) {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    },
  };
}

export function serviceAccountAdmission(ctx: ApiContext): MutatingPlugin {
  return {
    name: 'ServiceAccount',
    async admit(request) {
      const { resource, operation, subresource, object: pod } = request;
      if (operation !== 'CREATE' || subresource || resource.group !== '' || resource.resource !== 'pods' || !pod)
        return;
      if (pod.metadata?.annotations?.['kubernetes.io/config.mirror']) return;
      pod.spec ??= {};
      const spec = pod.spec;
      spec.serviceAccountName ||= spec.serviceAccount || 'default';
      const namespace = request.namespace ?? pod.metadata.namespace ?? 'default';
      const info = ctx.registry.lookup('', 'v1', 'serviceaccounts')!;
      const account = await getObject(ctx.store, info, namespace, spec.serviceAccountName);
      if (!account && spec.serviceAccountName !== 'default') {
        throw forbidden(
          `pods "${pod.metadata.name ?? pod.metadata.generateName ?? ''}" is forbidden: error looking up service account ${namespace}/${spec.serviceAccountName}: serviceaccount "${spec.serviceAccountName}" not found`,
        );
      }
      if (!spec.imagePullSecrets?.length && account?.imagePullSecrets?.length) {
        spec.imagePullSecrets = structuredClone(account.imagePullSecrets);
      }
      const automount = spec.automountServiceAccountToken ?? account?.automountServiceAccountToken ?? true;
      if (!automount) return;
      const containers: any[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
      const needing = containers.filter(
        (c) => !(c.volumeMounts ?? []).some((m: any) => m?.mountPath === serviceAccountMountPath),
      );
      if (!needing.length) return;
      spec.volumes ??= [];
      const volumes: any[] = spec.volumes;
      let name = `kube-api-access-${randomSuffix()}`;
      while (volumes.some((v) => v?.name === name)) name = `kube-api-access-${randomSuffix()}`;
      volumes.push(apiAccessVolume(name));
      for (const container of needing) {
        container.volumeMounts ??= [];
        container.volumeMounts.push({ name, readOnly: true, mountPath: serviceAccountMountPath });
      }
    },
  };
}
