// The table of EKS operations this server answers (reference §1.2 and §1.9, node groups per the botocore model).
import {
  associateAccessPolicy,
  createAccessEntry,
  deleteAccessEntry,
  describeAccessEntry,
  disassociateAccessPolicy,
  listAccessEntries,
  listAccessPolicies,
  listAssociatedAccessPolicies,
  updateAccessEntry,
} from './access/api.js';
import { describeAddonConfiguration } from './addons/configuration.js';
import { createAddon } from './addons/create.js';
import { deleteAddon } from './addons/delete.js';
import { describeAddon } from './addons/describe.js';
import { listAddons } from './addons/list.js';
import { updateAddon } from './addons/update.js';
import { describeAddonVersions } from './addons/versions.js';
import { associateEncryptionConfig } from './clusters/associate-encryption.js';
import { createCluster } from './clusters/create.js';
import { deleteCluster } from './clusters/delete.js';
import { describeCluster } from './clusters/describe.js';
import { listClusters } from './clusters/list.js';
import { updateClusterConfig } from './clusters/update-config.js';
import { updateClusterVersion } from './clusters/update-version.js';
import { describeClusterVersions } from './clusters/versions.js';
import { createFargateProfile } from './fargate-profiles/create.js';
import { deleteFargateProfile } from './fargate-profiles/delete.js';
import { describeFargateProfile } from './fargate-profiles/describe.js';
import { listFargateProfileNames } from './fargate-profiles/list.js';
import { associateIdentityProviderConfig } from './identity-providers/associate.js';
import { describeIdentityProviderConfig } from './identity-providers/describe.js';
import { disassociateIdentityProviderConfig } from './identity-providers/disassociate.js';
import { listIdentityProviderConfigs } from './identity-providers/list.js';
import { createNodegroup } from './nodegroups/create.js';
import { deleteNodegroup } from './nodegroups/delete.js';
import { describeNodegroup } from './nodegroups/describe.js';
import { listNodegroupNames } from './nodegroups/list.js';
import { updateNodegroupConfig } from './nodegroups/update-config.js';
import { updateNodegroupVersion } from './nodegroups/update-version.js';
import { createPodIdentityAssociation } from './pod-identity/create.js';
import { deletePodIdentityAssociation } from './pod-identity/delete.js';
import { describePodIdentityAssociation } from './pod-identity/describe.js';
import { listPodIdentityAssociations } from './pod-identity/list.js';
import { updatePodIdentityAssociation } from './pod-identity/update.js';
import { Router } from './router.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';
import { capabilities, eksAnywhere, insights, registrations } from './unmodelled/absent.js';
import { describeUpdate } from './updates/describe.js';
import { listUpdates } from './updates/list.js';

export function eksRoutes(): Router {
  return (
    new Router()
      .add('GET', '/clusters', 'ListClusters', listClusters)
      .add('GET', '/clusters/{name}', 'DescribeCluster', describeCluster)
      .add('GET', '/cluster-versions', 'DescribeClusterVersions', describeClusterVersions)
      .add('POST', '/clusters/{name}/fargate-profiles', 'CreateFargateProfile', createFargateProfile)
      .add('GET', '/clusters/{name}/fargate-profiles', 'ListFargateProfiles', listFargateProfileNames)
      .add(
        'GET',
        '/clusters/{name}/fargate-profiles/{fargateProfileName}',
        'DescribeFargateProfile',
        describeFargateProfile,
      )
      .add(
        'DELETE',
        '/clusters/{name}/fargate-profiles/{fargateProfileName}',
        'DeleteFargateProfile',
        deleteFargateProfile,
      )
      .add('POST', '/clusters/{name}/node-groups', 'CreateNodegroup', createNodegroup)
      .add('GET', '/clusters/{name}/node-groups', 'ListNodegroups', listNodegroupNames)
      .add('GET', '/clusters/{name}/node-groups/{nodegroupName}', 'DescribeNodegroup', describeNodegroup)
      .add('DELETE', '/clusters/{name}/node-groups/{nodegroupName}', 'DeleteNodegroup', deleteNodegroup)
      .add('POST', '/clusters/{name}/access-entries', 'CreateAccessEntry', createAccessEntry)
      .add('GET', '/clusters/{name}/access-entries', 'ListAccessEntries', listAccessEntries)
      .add('GET', '/clusters/{name}/access-entries/{principalArn}', 'DescribeAccessEntry', describeAccessEntry)
      .add('POST', '/clusters/{name}/access-entries/{principalArn}', 'UpdateAccessEntry', updateAccessEntry)
      .add('DELETE', '/clusters/{name}/access-entries/{principalArn}', 'DeleteAccessEntry', deleteAccessEntry)
      .add('GET', '/access-policies', 'ListAccessPolicies', listAccessPolicies)
      .add(
        'POST',
        '/clusters/{name}/access-entries/{principalArn}/access-policies',
        'AssociateAccessPolicy',
        associateAccessPolicy,
      )
      .add(
        'GET',
        '/clusters/{name}/access-entries/{principalArn}/access-policies',
        'ListAssociatedAccessPolicies',
        listAssociatedAccessPolicies,
      )
      .add(
        'DELETE',
        '/clusters/{name}/access-entries/{principalArn}/access-policies/{policyArn}',
        'DisassociateAccessPolicy',
        disassociateAccessPolicy,
      )
      .add('GET', '/tags/{resourceArn}', 'ListTagsForResource', listTagsForResource)
      .add('POST', '/tags/{resourceArn}', 'TagResource', tagResource)
      .add('DELETE', '/tags/{resourceArn}', 'UntagResource', untagResource)
      .add('POST', '/clusters', 'CreateCluster', createCluster)
      .add('DELETE', '/clusters/{name}', 'DeleteCluster', deleteCluster)
      .add('POST', '/clusters/{name}/update-config', 'UpdateClusterConfig', updateClusterConfig)
      .add('POST', '/clusters/{name}/updates', 'UpdateClusterVersion', updateClusterVersion)
      .add(
        'POST',
        '/clusters/{name}/encryption-config/associate',
        'AssociateEncryptionConfig',
        associateEncryptionConfig,
      )
      // Workload identity (irsa): pod identity associations and OIDC identity provider configs.
      .add(
        'POST',
        '/clusters/{name}/pod-identity-associations',
        'CreatePodIdentityAssociation',
        createPodIdentityAssociation,
      )
      .add(
        'GET',
        '/clusters/{name}/pod-identity-associations',
        'ListPodIdentityAssociations',
        listPodIdentityAssociations,
      )
      .add(
        'GET',
        '/clusters/{name}/pod-identity-associations/{associationId}',
        'DescribePodIdentityAssociation',
        describePodIdentityAssociation,
      )
      .add(
        'POST',
        '/clusters/{name}/pod-identity-associations/{associationId}',
        'UpdatePodIdentityAssociation',
        updatePodIdentityAssociation,
      )
      .add(
        'DELETE',
        '/clusters/{name}/pod-identity-associations/{associationId}',
        'DeletePodIdentityAssociation',
        deletePodIdentityAssociation,
      )
      .add(
        'POST',
        '/clusters/{name}/identity-provider-configs/associate',
        'AssociateIdentityProviderConfig',
        associateIdentityProviderConfig,
      )
      .add(
        'POST',
        '/clusters/{name}/identity-provider-configs/describe',
        'DescribeIdentityProviderConfig',
        describeIdentityProviderConfig,
      )
      .add(
        'POST',
        '/clusters/{name}/identity-provider-configs/disassociate',
        'DisassociateIdentityProviderConfig',
        disassociateIdentityProviderConfig,
      )
      .add(
        'GET',
        '/clusters/{name}/identity-provider-configs',
        'ListIdentityProviderConfigs',
        listIdentityProviderConfigs,
      )

      .add(
        'POST',
        '/clusters/{name}/node-groups/{nodegroupName}/update-config',
        'UpdateNodegroupConfig',
        updateNodegroupConfig,
      )
      .add(
        'POST',
        '/clusters/{name}/node-groups/{nodegroupName}/update-version',
        'UpdateNodegroupVersion',
        updateNodegroupVersion,
      )
      .add('GET', '/clusters/{name}/updates', 'ListUpdates', listUpdates)
      .add('GET', '/clusters/{name}/updates/{updateId}', 'DescribeUpdate', describeUpdate)
      .add('POST', '/clusters/{name}/addons', 'CreateAddon', createAddon)
      .add('GET', '/clusters/{name}/addons', 'ListAddons', listAddons)
      .add('GET', '/clusters/{name}/addons/{addonName}', 'DescribeAddon', describeAddon)
      .add('POST', '/clusters/{name}/addons/{addonName}/update', 'UpdateAddon', updateAddon)
      .add('DELETE', '/clusters/{name}/addons/{addonName}', 'DeleteAddon', deleteAddon)
      .add('GET', '/addons/supported-versions', 'DescribeAddonVersions', describeAddonVersions)
      .add('GET', '/addons/configuration-schemas', 'DescribeAddonConfiguration', describeAddonConfiguration)
      .add('GET', '/clusters/{name}/capabilities', 'ListCapabilities', capabilities.list)
      .add('POST', '/clusters/{name}/capabilities', 'CreateCapability', capabilities.create)
      .add('GET', '/clusters/{name}/capabilities/{capabilityName}', 'DescribeCapability', capabilities.describe)
      .add('POST', '/clusters/{name}/capabilities/{capabilityName}', 'UpdateCapability', capabilities.update)
      .add('DELETE', '/clusters/{name}/capabilities/{capabilityName}', 'DeleteCapability', capabilities.delete)
      .add('GET', '/eks-anywhere-subscriptions', 'ListEksAnywhereSubscriptions', eksAnywhere.list)
      .add('POST', '/eks-anywhere-subscriptions', 'CreateEksAnywhereSubscription', eksAnywhere.create)
      .add('GET', '/eks-anywhere-subscriptions/{id}', 'DescribeEksAnywhereSubscription', eksAnywhere.describe)
      .add('POST', '/eks-anywhere-subscriptions/{id}', 'UpdateEksAnywhereSubscription', eksAnywhere.update)
      .add('DELETE', '/eks-anywhere-subscriptions/{id}', 'DeleteEksAnywhereSubscription', eksAnywhere.delete)
      .add('POST', '/clusters/{name}/insights', 'ListInsights', insights.list)
      .add('GET', '/clusters/{name}/insights/{id}', 'DescribeInsight', insights.describe)
      .add('GET', '/clusters/{name}/insights-refresh', 'DescribeInsightsRefresh', insights.describeRefresh)
      .add('POST', '/clusters/{name}/insights-refresh', 'StartInsightsRefresh', insights.startRefresh)
      .add('POST', '/cluster-registrations', 'RegisterCluster', registrations.register)
      .add('DELETE', '/cluster-registrations/{name}', 'DeregisterCluster', registrations.deregister)
  );
}
