// UpdateNodegroupConfig: POST /clusters/{name}/node-groups/{nodegroupName}/update-config. Changes scaling, labels
// (addOrUpdate/remove), taints (addOrUpdate/remove), updateConfig and node repair on an ACTIVE group and answers a
// ConfigUpdate with EKS's params; the node-group controller makes the Nodes follow and settles the update.

import { EksError } from '../errors.js';
import { checkMemberTypes } from '../member-types.js';
import type { NodegroupUpdateConfig, Taint } from '../records.js';
import type { Route } from '../router.js';
import type { UpdateParam } from '../updates/records.js';
import { checkRequestSizes } from './scaling.js';
import { beginNodegroupUpdate } from './updating.js';
import {
  checkNodeRepairConfig,
  checkScaling,
  checkTaints,
  checkUpdateConfig,
  memberTypes,
  type Scaling,
} from './validate.js';

interface UpdateConfigBody {
  labels?: { addOrUpdateLabels?: Record<string, string>; removeLabels?: string[] };
  taints?: { addOrUpdateTaints?: Taint[]; removeTaints?: Taint[] };
  scalingConfig?: Partial<Scaling>;
  updateConfig?: NodegroupUpdateConfig;
  nodeRepairConfig?: Record<string, unknown>;
  warmPoolConfig?: Record<string, unknown>;
  clientRequestToken?: string;
}

/** A taint as EKS prints it in an update's params (the service's member order). */
const taintParam = (t: Taint) => ({
  effect: t.effect,
  ...(t.value !== undefined ? { value: t.value } : {}),
  key: t.key,
});

export const updateNodegroupConfig: Route = async (ctx, { params, body }) => {
  const clusterName = params.name;
  const name = params.nodegroupName;
  checkRequestSizes(body, clusterName, name);
  checkMemberTypes(body, {
    labels: { structure: { addOrUpdateLabels: 'map<string,string>', removeLabels: 'list<string>' } },
    taints: { structure: { addOrUpdateTaints: memberTypes.taints, removeTaints: memberTypes.taints } },
    scalingConfig: memberTypes.scalingConfig,
    updateConfig: memberTypes.updateConfig,
    nodeRepairConfig: memberTypes.nodeRepairConfig,
    warmPoolConfig: memberTypes.warmPoolConfig,
    clientRequestToken: 'string',
  });
  const req = body as UpdateConfigBody;
  const members = { clusterName, nodegroupName: name };
  const fail = (message: string, type = 'InvalidParameterException') => new EksError(type, message, members);
  return beginNodegroupUpdate(ctx, clusterName, name, req.clientRequestToken, 'ConfigUpdate', (ng) => {
    const out: UpdateParam[] = [];
    const add = req.labels?.addOrUpdateLabels ?? {};
    const remove = req.labels?.removeLabels ?? [];
    for (const key of remove) if (key in add) throw fail(`Label ${key} cannot be both added and removed.`);
    if (Object.keys(add).length > 0) out.push({ type: 'LabelsToAdd', value: JSON.stringify(add) });
    if (remove.length > 0) out.push({ type: 'LabelsToRemove', value: JSON.stringify(remove) });
    ng.labels = Object.fromEntries(Object.entries({ ...ng.labels, ...add }).filter(([k]) => !remove.includes(k)));

    const addTaints = req.taints?.addOrUpdateTaints ?? [];
    const removeTaints = req.taints?.removeTaints ?? [];
    checkTaints(addTaints, members, fail, 'taints.addOrUpdateTaints');
    checkTaints(removeTaints, members, fail, 'taints.removeTaints');
    if (addTaints.length > 0) out.push({ type: 'TaintsToAdd', value: JSON.stringify(addTaints.map(taintParam)) });
    if (removeTaints.length > 0)
      out.push({ type: 'TaintsToRemove', value: JSON.stringify(removeTaints.map(taintParam)) });
    const sameTaint = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
    ng.taints = [
      ...ng.taints.filter((t) => !addTaints.some((a) => sameTaint(a, t)) && !removeTaints.some((r) => sameTaint(r, t))),
      ...addTaints.map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect })),
    ];

    if (req.scalingConfig) {
      const scaling = { ...ng.scalingConfig, ...req.scalingConfig };
      checkScaling(scaling, fail);
      for (const [member, type] of [
        ['minSize', 'MinSize'],
        ['maxSize', 'MaxSize'],
        ['desiredSize', 'DesiredSize'],
      ] as const) {
        if (req.scalingConfig[member] !== undefined) out.push({ type, value: String(req.scalingConfig[member]) });
      }
      ng.scalingConfig = scaling;
    }
    if (req.updateConfig) {
      checkUpdateConfig(req.updateConfig, members, fail);
      const { maxUnavailable, maxUnavailablePercentage, updateStrategy } = req.updateConfig;
      if (maxUnavailable !== undefined) out.push({ type: 'MaxUnavailable', value: String(maxUnavailable) });
      if (maxUnavailablePercentage !== undefined)
        out.push({ type: 'MaxUnavailablePercentage', value: String(maxUnavailablePercentage) });
      if (updateStrategy !== undefined) out.push({ type: 'UpdateStrategy', value: updateStrategy });
      // A new count or percentage replaces the old one (the two never stand together); a strategy is kept.
      const { updateStrategy: oldStrategy, ...oldSize } = ng.updateConfig;
      const size =
        maxUnavailablePercentage !== undefined
          ? { maxUnavailablePercentage }
          : maxUnavailable !== undefined
            ? { maxUnavailable }
            : oldSize;
      const strategy = updateStrategy ?? oldStrategy;
      ng.updateConfig = { ...size, ...(strategy ? { updateStrategy: strategy } : {}) };
    }
    if (req.nodeRepairConfig) {
      checkNodeRepairConfig(req.nodeRepairConfig, members);
      out.push({ type: 'NodeRepairConfig', value: JSON.stringify(req.nodeRepairConfig) });
      ng.nodeRepairConfig = req.nodeRepairConfig;
    }
    if (req.warmPoolConfig) {
      out.push({ type: 'WarmPoolEnabled', value: String(req.warmPoolConfig.enabled ?? false) });
      ng.warmPoolConfig = req.warmPoolConfig;
    }
    if (out.length === 0) throw fail('No changes needed for the nodegroup config.');
    return { nodegroup: ng, params: out };
  });
};
