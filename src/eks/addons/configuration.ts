// DescribeAddonConfiguration: GET /addons/configuration-schemas?addonName&addonVersion → the JSON schema of the
// add-on's configurationValues, and the pod identity roles it recommends.
import { invalidParameter } from '../errors.js';
import type { Route } from '../router.js';
import { catalogueEntry, schemaText } from './catalogue.js';

export const describeAddonConfiguration: Route = async (_ctx, { query }) => {
  const addonName = query.get('addonName') ?? '';
  const addonVersion = query.get('addonVersion') ?? '';
  const entry = catalogueEntry(addonName);
  if (!entry) throw invalidParameter(`Addon ${addonName} specified is not supported`, { addonName });
  if (!entry.versions.some((v) => v.addonVersion === addonVersion))
    throw invalidParameter('Addon version specified is not supported', { addonName });
  return {
    addonName,
    addonVersion,
    configurationSchema: schemaText(entry),
    podIdentityConfiguration: entry.podIdentityConfiguration ?? [],
  };
};
