// The checks CreateNodegroup and UpdateNodegroupConfig share, as EKS words its refusals: the body's JSON types
// (botocore's model), scaling bounds, updateConfig, taints and node repair settings. Each throws the EksError the
// service answers with; `fail` builds it with the cluster and node group named.
import { checkEnum, repairActions, taintEffects, updateStrategies } from '../enums.js';
import type { EksError } from '../errors.js';
import type { MemberType } from '../member-types.js';
import type { NodegroupUpdateConfig, Taint } from '../records.js';

export type Fail = (message: string, type?: string) => EksError;

const taint: Record<string, MemberType> = { key: 'string', value: 'string', effect: 'string' };
export const memberTypes = {
  scalingConfig: { structure: { minSize: 'integer', maxSize: 'integer', desiredSize: 'integer' } },
  updateConfig: {
    structure: { maxUnavailable: 'integer', maxUnavailablePercentage: 'integer', updateStrategy: 'string' },
  },
  nodeRepairConfig: {
    structure: {
      enabled: 'boolean',
      maxUnhealthyNodeThresholdCount: 'integer',
      maxUnhealthyNodeThresholdPercentage: 'integer',
      maxParallelNodesRepairedCount: 'integer',
      maxParallelNodesRepairedPercentage: 'integer',
      nodeRepairConfigOverrides: {
        listOf: {
          nodeMonitoringCondition: 'string',
          nodeUnhealthyReason: 'string',
          minRepairWaitTimeMins: 'integer',
          repairAction: 'string',
        },
      },
    },
  },
  warmPoolConfig: {
    structure: {
      enabled: 'boolean',
      minSize: 'integer',
      maxGroupPreparedCapacity: 'integer',
      poolState: 'string',
      reuseOnScaleIn: 'boolean',
    },
  },
  launchTemplate: { structure: { name: 'string', version: 'string', id: 'string' } },
  remoteAccess: { structure: { ec2SshKey: 'string', sourceSecurityGroups: 'list<string>' } },
  taints: { listOf: taint },
  labels: 'map<string,string>',
} satisfies Record<string, MemberType>;

export interface Scaling {
  minSize: number;
  maxSize: number;
  desiredSize: number;
}

export function checkScaling(scaling: Scaling, fail: Fail): void {
  if (scaling.maxSize < 1) throw fail('Maximum capacity must be at least 1.');
  if (scaling.minSize < 0 || scaling.minSize > scaling.maxSize)
    throw fail(`Minimum capacity ${scaling.minSize} can't be greater than max size ${scaling.maxSize}`);
  if (scaling.desiredSize < scaling.minSize || scaling.desiredSize > scaling.maxSize) {
    throw fail(
      `Desired capacity ${scaling.desiredSize} must be between min size ${scaling.minSize} and max size ${scaling.maxSize}`,
    );
  }
}

export function checkUpdateConfig(
  config: NodegroupUpdateConfig | undefined,
  members: Record<string, string>,
  fail: Fail,
) {
  if (!config) return;
  const { maxUnavailable, maxUnavailablePercentage } = config;
  if (maxUnavailable !== undefined && maxUnavailablePercentage !== undefined)
    throw fail('Only one of maxUnavailable and maxUnavailablePercentage may be specified.');
  if (maxUnavailable !== undefined && (maxUnavailable < 1 || maxUnavailable > 100))
    throw fail('maxUnavailable must be between 1 and 100.');
  if (maxUnavailablePercentage !== undefined && (maxUnavailablePercentage < 1 || maxUnavailablePercentage > 100))
    throw fail('maxUnavailablePercentage must be between 1 and 100.');
  checkEnum(config.updateStrategy, updateStrategies, 'updateConfig.updateStrategy', members);
}

export function checkTaints(taints: Taint[] | undefined, members: Record<string, string>, fail: Fail, path: string) {
  for (const [i, t] of (taints ?? []).entries()) {
    if (!t.key)
      throw fail(`Taint ${JSON.stringify(t)} is invalid: key and effect (${taintEffects.join('|')}) are required.`);
    if (t.effect === undefined)
      throw fail(`Taint ${JSON.stringify(t)} is invalid: key and effect (${taintEffects.join('|')}) are required.`);
    checkEnum(t.effect, taintEffects, `${path}.${i + 1}.member.effect`, members);
  }
  if ((taints ?? []).length > 50) throw fail('The maximum number of taints per node group is 50.');
}

export function checkNodeRepairConfig(config: Record<string, unknown> | undefined, members: Record<string, string>) {
  const overrides = (config?.nodeRepairConfigOverrides ?? []) as { repairAction?: string }[];
  for (const [i, o] of overrides.entries())
    checkEnum(
      o.repairAction,
      repairActions,
      `nodeRepairConfig.nodeRepairConfigOverrides.${i + 1}.member.repairAction`,
      members,
    );
}

/** The share of a group's nodes an update may take down at once, as a count (at least 1). */
export function maxUnavailableNodes(config: NodegroupUpdateConfig, desiredSize: number): number {
  if (config.maxUnavailablePercentage !== undefined)
    return Math.max(1, Math.floor((desiredSize * config.maxUnavailablePercentage) / 100));
  return Math.max(1, config.maxUnavailable ?? 1);
}
