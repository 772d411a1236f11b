// CustomResourceDefinitions: the name must be <plural>.<group>; on create the server accepts the names and marks
// the CRD Established at once; customResourceInfos turns a CRD into the resources the API then serves.
import type { FieldCause } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import type { ResourceInfo, SubresourceInfo } from '../resources/types.js';
import { allVerbs } from '../resources/types.js';
import type { Strategy } from './types.js';

function establish(crd: KubeObject): void {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const names = crd.spec?.names ?? {};
  crd.status = {
    acceptedNames: {
      ...names,
      singular: names.singular ?? String(names.kind ?? '').toLowerCase(),
      listKind: names.listKind ?? `${names.kind}List`,
    },
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: now,
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: now,
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    storedVersions: (crd.spec?.versions ?? []).filter((v: any) => v.storage).map((v: any) => v.name),
  };
}

export const crdStrategy: Strategy = {
  prepareForCreate: establish,
  prepareForUpdate(crd, old) {
    crd.status = old.status;
    establish(crd);
  },
  validate(crd) {
    const causes: FieldCause[] = [];
    const spec = crd.spec ?? {};
    const plural = spec.names?.plural;
    if (!spec.group) causes.push({ field: 'spec.group', reason: 'FieldValueRequired', message: 'Required value' });
    if (!plural) causes.push({ field: 'spec.names.plural', reason: 'FieldValueRequired', message: 'Required value' });
    if (!spec.names?.kind)
      causes.push({ field: 'spec.names.kind', reason: 'FieldValueRequired', message: 'Required value' });
    if (!['Namespaced', 'Cluster'].includes(spec.scope)) {
      causes.push({
        field: 'spec.scope',
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: "${spec.scope ?? ''}": supported values: "Cluster", "Namespaced"`,
      });
    }
    if (!Array.isArray(spec.versions) || spec.versions.length === 0) {
      causes.push({
        field: 'spec.versions',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: null: must have exactly one version marked as storage version',
      });
    } else if (spec.versions.filter((v: any) => v.storage).length !== 1) {
      causes.push({
        field: 'spec.versions',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: []apiextensions.CustomResourceDefinitionVersion(nil): must have exactly one version marked as storage version',
      });
    }
    if (plural && spec.group && crd.metadata.name !== `${plural}.${spec.group}`) {
      causes.push({
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${crd.metadata.name}": must be spec.names.plural+"."+spec.group`,
      });
    }
    return causes;
  },
};

/** The resources a CRD serves: one per served version, with status and scale subresources as it declares. */
export function customResourceInfos(crd: KubeObject): ResourceInfo[] {
  const spec = crd.spec;
  const names = spec.names;
  return (spec.versions ?? [])
    .filter((v: any) => v.served)
    .map((v: any): ResourceInfo => {
      const subresources: SubresourceInfo[] = [];
      const sub = (name: string, kind: string, group: string, version: string) =>
        subresources.push({ name, kind, group, version, verbs: ['get', 'patch', 'update'] });
      if (v.subresources?.scale) sub('scale', 'Scale', 'autoscaling', 'v1');
      if (v.subresources?.status) sub('status', names.kind, spec.group, v.name);
      const schema = v.schema?.openAPIV3Schema;
      return {
        group: spec.group,
        version: v.name,
        resource: names.plural,
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        singular: names.singular ?? names.kind.toLowerCase(),
        namespaced: spec.scope === 'Namespaced',
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        verbs: allVerbs,
        subresources,
        hasStatus: Boolean(v.subresources?.status),
        scale: v.subresources?.scale,
        custom: {
          printerColumns: v.additionalPrinterColumns ?? [],
          schema,
          preserveUnknownFields: Boolean(
            spec.preserveUnknownFields || schema?.['x-kubernetes-preserve-unknown-fields'],
          ),
        },
      };
    });
}
