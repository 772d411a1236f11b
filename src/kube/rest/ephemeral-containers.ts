// pods/ephemeralcontainers writes (kubectl debug): only spec.ephemeralContainers changes, and only by adding
// containers — existing ones may be neither changed nor removed; new ones get the API's defaults and are checked as
// kube-apiserver's ValidatePodEphemeralContainersUpdate checks them.
import { isDeepStrictEqual } from 'node:util';
import { type FieldCause, invalid } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';

/** Fields an ephemeral container may not set (it has no ports, probes, lifecycle or resources). */
const forbiddenFields = ['ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resources'];

function withDefaults(container: any): any {
  const image: string = container.image ?? '';
  const latest = !/[:@][^/]*$/.test(image) || image.endsWith(':latest');
  return {
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: latest ? 'Always' : 'IfNotPresent',
    ...container,
  };
}

/** The stored pod with the ephemeral containers of `next` (the object PUT or patched), or a 422 Invalid. */
export function updateEphemeralContainers(old: KubeObject, next: KubeObject): KubeObject {
  const name = old.metadata.name!;
  const existing: any[] = old.spec?.ephemeralContainers ?? [];
  const wanted: any[] = (next.spec?.ephemeralContainers ?? []).map((c: any) =>
    existing.some((e) => e.name === c?.name) ? c : withDefaults(c),
  );
  const causes: FieldCause[] = [];
  const path = 'spec.ephemeralContainers';
  for (const old of existing) {
    const index = wanted.findIndex((c) => c?.name === old.name);
    if (index < 0) {
      causes.push({
        field: path,
        reason: 'FieldValueNotFound',
        message: `Not found: "existing ephemeral containers \\"${old.name}\\" may not be removed\\n"`,
      });
    } else if (!isDeepStrictEqual(old, wanted[index])) {
      causes.push({
        field: `${path}[${index}]`,
        reason: 'FieldValueForbidden',
        message: `Forbidden: existing ephemeral containers "${old.name}" may not be changed\n`,
      });
    }
  }
  const taken = new Set(
    [...(old.spec?.containers ?? []), ...(old.spec?.initContainers ?? [])].map((c: any) => c.name as string),
  );
  wanted.forEach((c, i) => {
    const at = `${path}[${i}]`;
    if (!c?.name) causes.push({ field: `${at}.name`, reason: 'FieldValueRequired', message: 'Required value' });
    else if (taken.has(c.name))
      causes.push({ field: `${at}.name`, reason: 'FieldValueDuplicate', message: `Duplicate value: "${c.name}"` });
    else taken.add(c.name);
    if (!c?.image) causes.push({ field: `${at}.image`, reason: 'FieldValueRequired', message: 'Required value' });
    for (const field of forbiddenFields) {
      if (c?.[field] !== undefined && !(field === 'resources' && Object.keys(c.resources ?? {}).length === 0)) {
        causes.push({
          field: `${at}.${field}`,
          reason: 'FieldValueForbidden',
          message: 'Forbidden: cannot be set for an Ephemeral Container',
        });
      }
    }
    const target = c?.targetContainerName;
    if (target && !(old.spec?.containers ?? []).some((x: any) => x.name === target)) {
      causes.push({
        field: `${at}.targetContainerName`,
        reason: 'FieldValueNotFound',
        message: `Not found: "${target}"`,
      });
    }
  });
  if (causes.length) throw invalid('Pod', '', name, causes);
  const pod = structuredClone(old);
  pod.spec.ephemeralContainers = wanted;
  return pod;
}
