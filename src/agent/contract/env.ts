// A container's environment, as the kubelet builds it (makeEnvironmentVariables): envFrom (ConfigMaps and Secrets,
// with prefixes, invalid names skipped with an event), env in order with `value` ($(VAR) expanded), configMapKeyRef,
// secretKeyRef, fieldRef and resourceFieldRef, each `optional` honoured; then the service-link variables of the
// pod's namespace (enableServiceLinks) and of the `kubernetes` Service. A missing non-optional source is an error
// (CreateContainerConfigError), never an empty value.
import type { KubeObject } from '../../kube/api/types.js';
import type { SandboxEvent, SandboxPod } from '../driver.js';
import type { Container } from '../lifecycle/runtime.js';
import { containerConfigError } from './errors.js';
import { type Allocatable, podFieldValue, resourceFieldValue } from './fields.js';
import type { ContractReader } from './reader.js';
import { serviceEnv } from './service-env.js';

/** `$(VAR)` references expanded from `lookup`; `$$` escapes, unknown names stay as they are (Kubernetes' expansion). */
export function expand(text: string, lookup: (name: string) => string | undefined): string {
  return text.replace(/\$\$|\$\(([^)]*)\)/g, (all, name: string | undefined) => {
    if (name === undefined) return '$';
    return lookup(name) ?? all;
  });
}

/** Printable ASCII but `=` (RelaxedEnvironmentVariableValidation, on by default since 1.32). */
export function isEnvVarName(name: string): boolean {
  return name.length > 0 && /^[\x20-\x3c\x3e-\x7e]+$/.test(name);
}

const decode = (value: unknown) => Buffer.from(String(value ?? ''), 'base64').toString('utf8');

export interface EnvContext {
  reader: ContractReader;
  /** The node's allocatable (limits a container does not set). */
  allocatable: () => Promise<Allocatable>;
  /** Records a pod event (InvalidEnvironmentVariableNames). */
  emit: (event: SandboxEvent) => void;
}

export async function resolveEnv(
  pod: SandboxPod,
  container: Container,
  context: EnvContext,
): Promise<{ key: string; value: string }[]> {
  const { reader } = context;
  const ns = pod.namespace;
  const configMaps = new Map<string, KubeObject | undefined>();
  const secrets = new Map<string, KubeObject | undefined>();
  const configMap = async (name: string) => {
    if (!configMaps.has(name)) configMaps.set(name, await reader.configMap(ns, name));
    return configMaps.get(name);
  };
  const secret = async (name: string) => {
    if (!secrets.has(name)) secrets.set(name, await reader.secret(ns, name));
    return secrets.get(name);
  };
  const services = serviceEnv(
    await reader.services(ns),
    await reader.service('default', 'kubernetes'),
    ns,
    pod.pod.spec?.enableServiceLinks ?? true,
  );
  const env = new Map<string, string>();

  for (const from of container.envFrom ?? []) {
    const prefix = String(from?.prefix ?? '');
    const ref = from?.configMapRef ?? from?.secretRef;
    if (!ref?.name) continue;
    const isSecret = Boolean(from.secretRef);
    const object = isSecret ? await secret(ref.name) : await configMap(ref.name);
    if (!object) {
      if (ref.optional) continue;
      throw containerConfigError(`${isSecret ? 'secret' : 'configmap'} "${ref.name}" not found`);
    }
    const invalid: string[] = [];
    for (const [key, value] of Object.entries<string>(object.data ?? {})) {
      const name = prefix + key;
      if (!isEnvVarName(name)) invalid.push(name);
      else env.set(name, isSecret ? decode(value) : String(value));
    }
    if (invalid.length) {
      context.emit({
        type: 'Warning',
        reason: 'InvalidEnvironmentVariableNames',
        message: `Keys [${invalid.sort().join(', ')}] from the EnvFrom ${isSecret ? 'secret' : 'configMap'} ${ns}/${ref.name} were skipped since they are considered invalid environment variable names.`,
      });
    }
  }

  const lookup = (name: string) => env.get(name) ?? services.get(name);
  for (const entry of container.env ?? []) {
    if (typeof entry?.name !== 'string') continue;
    const source = entry.valueFrom;
    if (!source) {
      env.set(entry.name, expand(String(entry.value ?? ''), lookup));
      continue;
    }
    if (source.configMapKeyRef) {
      const { name, key, optional } = source.configMapKeyRef;
      const object = await configMap(name);
      if (!object) {
        if (optional) continue;
        throw containerConfigError(`configmap "${name}" not found`);
      }
      const value = object.data?.[key];
      if (value === undefined) {
        if (optional) continue;
        throw containerConfigError(`couldn't find key ${key} in ConfigMap ${ns}/${name}`);
      }
      env.set(entry.name, String(value));
    } else if (source.secretKeyRef) {
      const { name, key, optional } = source.secretKeyRef;
      const object = await secret(name);
      if (!object) {
        if (optional) continue;
        throw containerConfigError(`secret "${name}" not found`);
      }
      const value = object.data?.[key];
      if (value === undefined) {
        if (optional) continue;
        throw containerConfigError(`couldn't find key ${key} in Secret ${ns}/${name}`);
      }
      env.set(entry.name, decode(value));
    } else if (source.fieldRef) {
      const value = podFieldValue(pod, source.fieldRef.fieldPath);
      if (value === undefined) throw containerConfigError(`unsupported fieldPath: ${source.fieldRef.fieldPath}`);
      env.set(entry.name, value);
    } else if (source.resourceFieldRef) {
      const ref = source.resourceFieldRef;
      const target = ref.containerName ? findContainer(pod, ref.containerName) : container;
      if (!target) throw containerConfigError(`container ${ref.containerName} not found`);
      try {
        env.set(entry.name, resourceFieldValue(target, ref, await context.allocatable()));
      } catch (error: any) {
        throw containerConfigError(error?.message ?? String(error));
      }
    }
  }

  const result = [...env].map(([key, value]) => ({ key, value }));
  for (const [key, value] of services) if (!env.has(key)) result.push({ key, value });
  return result;
}

function findContainer(pod: SandboxPod, name: string): Container | undefined {
  const spec = pod.pod.spec ?? {};
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])].find((c: Container) => c.name === name);
}
