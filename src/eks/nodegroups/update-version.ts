// UpdateNodegroupVersion: POST /clusters/{name}/node-groups/{nodegroupName}/update-version. Moves an ACTIVE group to
// a Kubernetes version (at most the cluster's) and an AMI release of it (the latest when none is named) and answers
// a VersionUpdate; the node-group controller replaces the Nodes in a rolling way (maxUnavailable at a time,
// evicting through the eviction API so disruption budgets hold) and settles the update.
import { requireCluster } from '../context.js';
import { EksError } from '../errors.js';
import { checkMemberTypes } from '../member-types.js';
import type { Route } from '../router.js';
import type { UpdateParam } from '../updates/records.js';
import { isReleaseOf, latestRelease, releasesOf } from './releases.js';
import { beginNodegroupUpdate } from './updating.js';
import { memberTypes } from './validate.js';

interface UpdateVersionBody {
  version?: string;
  releaseVersion?: string;
  launchTemplate?: { id?: string; name?: string; version?: string };
  force?: boolean;
  clientRequestToken?: string;
}

const minor = (v: string) => v.split('.').map(Number) as [number, number];
const newer = (a: string, b: string) =>
  minor(a)[0] > minor(b)[0] || (minor(a)[0] === minor(b)[0] && minor(a)[1] > minor(b)[1]);

export const updateNodegroupVersion: Route = async (ctx, { params, body }) => {
  const clusterName = params.name;
  const name = params.nodegroupName;
  checkMemberTypes(body, {
    version: 'string',
    releaseVersion: 'string',
    launchTemplate: memberTypes.launchTemplate,
    force: 'boolean',
    clientRequestToken: 'string',
  });
  const req = body as UpdateVersionBody;
  const cluster = await requireCluster(ctx, clusterName);
  const fail = (message: string) =>
    new EksError('InvalidParameterException', message, { clusterName, nodegroupName: name });
  return beginNodegroupUpdate(
    ctx,
    clusterName,
    name,
    req.clientRequestToken,
    'VersionUpdate',
    (ng) => {
      const version = req.version ?? ng.version;
      if (newer(version, cluster.version) || newer(ng.version, version))
        throw fail(
          `Requested Nodegroup version ${version} is invalid. Allowed values: [${[...new Set([ng.version, cluster.version])].join(', ')}]`,
        );
      if (req.launchTemplate && !ng.launchTemplate)
        throw fail(
          'You cannot specify a launch template for a node group that was not created with a launch template.',
        );
      const release =
        req.releaseVersion ?? (ng.launchTemplate && req.launchTemplate ? ng.releaseVersion : latestRelease(version));
      if (!isReleaseOf(version, release) && release !== ng.releaseVersion) {
        throw fail(
          `Requested release version ${release} is not valid for kubernetes version ${version}. Valid release versions: [${releasesOf(version).join(', ')}]`,
        );
      }
      const out: UpdateParam[] = [
        { type: 'Version', value: version },
        { type: 'ReleaseVersion', value: release },
      ];
      if (req.launchTemplate && ng.launchTemplate) {
        const lt = { ...ng.launchTemplate, ...req.launchTemplate };
        if (lt.name) out.push({ type: 'LaunchTemplateName', value: lt.name });
        out.push({ type: 'LaunchTemplateVersion', value: lt.version ?? '1' });
        ng.launchTemplate = lt;
      }
      ng.version = version;
      ng.releaseVersion = release;
      return { nodegroup: ng, params: out };
    },
    Boolean(req.force),
  );
};
