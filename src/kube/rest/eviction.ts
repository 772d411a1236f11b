// pods/eviction as kube-apiserver's EvictionREST: a delete that the pod's PodDisruptionBudget may refuse (429),
// that decrements the budget's disruptionsAllowed and records the pod in disruptedPods before deleting it.
import { ApiError, badRequest, conflict, forbidden, statusFailure, statusSuccess } from '../api/errors.js';
import type { DeleteOptions, KubeObject, Status } from '../api/types.js';
import type { ResourceInfo } from '../resources/types.js';
import { matchesLabels, requirementsOf } from '../selectors/labels.js';
import { type ApiContext, nowTimestamp, type RequestOptions } from './context.js';
import { deleteObject } from './delete.js';
import { getOne } from './get.js';
import { listObjects } from './list.js';
import { guaranteedUpdate } from './update.js';

/** `MaxDisruptedPodSize`: evictions the disruption controller has not yet confirmed, per budget. */
const maxDisruptedPods = 2000;

const violation = "Cannot evict pod as it would violate the pod's disruption budget.";

function tooManyRequests(cause: string): ApiError {
  return new ApiError(
    statusFailure(429, 'TooManyRequests', violation, { causes: [{ reason: 'DisruptionBudget', message: cause }] }),
  );
}

const stillProcessing = (budget: string) =>
  tooManyRequests(`The disruption budget ${budget} is still being processed by the server.`);

const isReady = (pod: KubeObject) =>
  (pod.status?.conditions ?? []).some(
    (c: { type?: string; status?: string }) => c.type === 'Ready' && c.status === 'True',
  );

/** Finished, pending and already-deleting pods disrupt nothing more: no budget is consulted. */
function canIgnoreBudget(pod: KubeObject): boolean {
  return ['Succeeded', 'Failed', 'Pending'].includes(pod.status?.phase) || Boolean(pod.metadata.deletionTimestamp);
}

/** A null selector selects nothing; policy/v1's empty selector selects every pod of the namespace. */
function selects(budget: KubeObject, pod: KubeObject): boolean {
  const selector = budget.spec?.selector;
  return selector != null && matchesLabels(requirementsOf(selector), pod.metadata.labels);
}

export async function evictPod(
  ctx: ApiContext,
  info: ResourceInfo,
  namespace: string,
  name: string,
  eviction: KubeObject,
  options: RequestOptions = {},
): Promise<Status> {
  if (eviction?.metadata?.name && eviction.metadata.name !== name) {
    throw badRequest('name in URL does not match name in Eviction object');
  }
  let pod = await getOne(ctx, info, namespace, name);
  await ctx.admission.validate({
    operation: 'CREATE',
    resource: info,
    subresource: 'eviction',
    namespace,
    name,
    object: eviction,
    oldObject: pod,
    user: options.user,
    dryRun: Boolean(options.dryRun),
  });
  const deleteOptions: DeleteOptions = structuredClone(eviction?.deleteOptions ?? {});
  const dryRun = Boolean(options.dryRun) || Boolean(deleteOptions.dryRun?.includes('All'));
  const request = { ...options, dryRun };
  const success = { ...statusSuccess(), code: 201 };
  const pinned = (rv: string) => ({
    ...deleteOptions,
    preconditions: { ...deleteOptions.preconditions, resourceVersion: rv },
  });

  const unset = !deleteOptions.preconditions?.resourceVersion;
  for (let attempt = 0; canIgnoreBudget(pod); attempt++) {
    const enforce = pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
    try {
      await markAndDelete(
        ctx,
        info,
        pod,
        enforce && unset ? pinned(pod.metadata.resourceVersion!) : deleteOptions,
        request,
      );
      return success;
    } catch (error: any) {
      if (error?.code !== 409 || !unset || attempt >= 8) throw error;
    }
    pod = await getOne(ctx, info, namespace, name);
  }

  const budgetInfo = ctx.registry.lookup('policy', 'v1', 'poddisruptionbudgets')!;
  const budgets = (await listObjects(ctx, budgetInfo, namespace, {})).items.filter((b) => selects(b, pod));
  if (budgets.length > 1) {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      code: 500,
    };
  }
  let unhealthyBypass = false;
  const budget = budgets[0];
  if (budget) {
    const status = budget.status ?? {};
    if (!isReady(pod)) {
      const alwaysAllow = budget.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow';
      const budgetMet =
        (status.currentHealthy ?? 0) >= (status.desiredHealthy ?? 0) && (status.desiredHealthy ?? 0) > 0;
      unhealthyBypass = alwaysAllow || budgetMet;
    }
    if (!unhealthyBypass) await checkAndDecrement(ctx, budgetInfo, budget, name, dryRun);
  }

  const chosen = unhealthyBypass ? pinned(pod.metadata.resourceVersion!) : deleteOptions;
  try {
    await markAndDelete(ctx, info, pod, chosen, request);
  } catch (error: any) {
    if (error?.code === 409 && unhealthyBypass && unset) throw stillProcessing(budget!.metadata.name!);
    throw error;
  }
  return success;
}

/** Refuses when the budget allows no disruption; else takes one and records the pod as about to go. */
async function checkAndDecrement(
  ctx: ApiContext,
  info: ResourceInfo,
  budget: KubeObject,
  podName: string,
  dryRun: boolean,
): Promise<void> {
  const check = (current: KubeObject): KubeObject => {
    const budgetName = current.metadata.name!;
    const status = current.status ?? {};
    if ((status.observedGeneration ?? 0) < (current.metadata.generation ?? 0)) throw stillProcessing(budgetName);
    const allowed = status.disruptionsAllowed ?? 0;
    if (allowed < 0) {
      throw forbidden(`poddisruptionbudgets.policy "${budgetName}" is forbidden: pdb disruptions allowed is negative`);
    }
    if (Object.keys(status.disruptedPods ?? {}).length > maxDisruptedPods) {
      throw forbidden(
        `poddisruptionbudgets.policy "${budgetName}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`,
      );
    }
    if (allowed === 0) {
      throw tooManyRequests(
        `The disruption budget ${budgetName} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
      );
    }
    status.disruptionsAllowed = allowed - 1;
    if (status.disruptionsAllowed === 0) setInsufficientPods(status);
    status.disruptedPods = { ...status.disruptedPods, [podName]: nowTimestamp() };
    current.status = status;
    return current;
  };
  if (dryRun) {
    check(structuredClone(budget));
    return;
  }
  const { namespace, name } = budget.metadata;
  await guaranteedUpdate(ctx, info, namespace, name!, check, { subresource: 'status' });
}

/** `UpdateDisruptionAllowedCondition` for a budget just brought to zero. */
function setInsufficientPods(status: any): void {
  const conditions: any[] = status.conditions ?? [];
  const existing = conditions.find((c) => c.type === 'DisruptionAllowed');
  const next = {
    type: 'DisruptionAllowed',
    status: 'False',
    observedGeneration: status.observedGeneration,
    lastTransitionTime: existing?.status === 'False' ? existing.lastTransitionTime : nowTimestamp(),
    reason: 'InsufficientPods',
    message: existing?.message ?? '',
  };
  status.conditions = existing ? conditions.map((c) => (c === existing ? next : c)) : [...conditions, next];
}

/** `addConditionAndDeletePod`: the DisruptionTarget condition first (not on dry run), then the delete. */
async function markAndDelete(
  ctx: ApiContext,
  info: ResourceInfo,
  pod: KubeObject,
  deleteOptions: DeleteOptions,
  request: RequestOptions,
): Promise<void> {
  const { namespace, name } = pod.metadata;
  let options = deleteOptions;
  if (!request.dryRun) {
    const marked = await guaranteedUpdate(
      ctx,
      info,
      namespace,
      name!,
      (current) => {
        const pre = deleteOptions.preconditions;
        if (pre?.uid && pre.uid !== current.metadata.uid) throw conflictOn(name!, 'UID', pre.uid, current.metadata.uid);
        if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
          throw conflictOn(name!, 'ResourceVersion', pre.resourceVersion, current.metadata.resourceVersion);
        }
        current.status = { ...current.status, conditions: withDisruptionTarget(current.status?.conditions ?? []) };
        return current;
      },
      { user: request.user, subresource: 'status' },
    );
    if (deleteOptions.preconditions?.resourceVersion) {
      options = {
        ...deleteOptions,
        preconditions: { ...deleteOptions.preconditions, resourceVersion: marked.metadata.resourceVersion },
      };
    }
  }
  await deleteObject(ctx, info, namespace, name!, options, request);
}

function conflictOn(name: string, field: string, wanted?: string, actual?: string): ApiError {
  const detail = `The object might have been modified; please apply your changes to the latest version and try again: precondition failed: ${field} in precondition: ${wanted}, ${field} in object meta: ${actual}`;
  return conflict('Pod', name, detail, '', 'Pod');
}

function withDisruptionTarget(conditions: any[]): any[] {
  const existing = conditions.find((c) => c.type === 'DisruptionTarget');
  const next = {
    type: 'DisruptionTarget',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: existing?.status === 'True' ? existing.lastTransitionTime : nowTimestamp(),
    reason: 'EvictionByEvictionAPI',
    message: 'Eviction API: evicting',
  };
  return existing ? conditions.map((c) => (c === existing ? next : c)) : [...conditions, next];
}
