// The checks CreateAddon and UpdateAddon share: an add-on Skiff knows, a version that fits the cluster, a known
// resolveConflicts, a role ARN, configurationValues the add-on's schema accepts; pod identity associations and a
// custom namespace are refused (those add-ons' objects live in kube-system, and associations are their own API).
import { isRoleArn } from '../../fargate/arn.js';
import { checkEnum, resolveConflictsValues } from '../enums.js';
import { EksError } from '../errors.js';
import {
  type AddonVersion,
  type CatalogueEntry,
  configurationFault,
  defaultVersion,
  versionsFor,
} from './catalogue.js';

export interface AddonRequest {
  addonVersion?: string;
  serviceAccountRoleArn?: string;
  resolveConflicts?: string;
  configurationValues?: string;
  podIdentityAssociations?: unknown[];
  namespaceConfig?: { namespace?: string };
}

export function addonFail(clusterName: string, addonName: string) {
  return (message: string, type = 'InvalidParameterException') =>
    new EksError(type, message, { clusterName, addonName });
}

/** The version the request names (or the cluster version's default), after every check passes. */
export function checkAddonRequest(
  entry: CatalogueEntry,
  req: AddonRequest,
  clusterName: string,
  clusterVersion: string,
  currentVersion?: string,
): AddonVersion {
  const fail = addonFail(clusterName, entry.name);
  const members = { clusterName, addonName: entry.name };
  const wanted = req.addonVersion ?? currentVersion;
  const version = wanted
    ? versionsFor(entry, clusterVersion).find((v) => v.addonVersion === wanted)
    : defaultVersion(entry, clusterVersion);
  if (!version) throw fail('Addon version specified is not supported');
  checkEnum(req.resolveConflicts, resolveConflictsValues, 'resolveConflicts', members);
  if (req.serviceAccountRoleArn !== undefined && !isRoleArn(req.serviceAccountRoleArn, { allowPath: true }))
    throw fail(`Invalid serviceAccountRoleArn: ${req.serviceAccountRoleArn}`);
  if (req.configurationValues) {
    const fault = configurationFault(entry, req.configurationValues);
    if (fault) throw fail(fault);
  }
  if (req.podIdentityAssociations && req.podIdentityAssociations.length > 0)
    throw fail(`Addon ${entry.name} does not support pod identity associations in Skiff.`);
  if (req.namespaceConfig?.namespace !== undefined && req.namespaceConfig.namespace !== entry.defaultNamespace)
    throw fail(`Addon ${entry.name} does not support namespace configuration.`);
  return version;
}
