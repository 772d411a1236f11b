// The AWS Load Balancer Controller's job on the host: watches Ingresses, IngressClasses (and their
// IngressClassParams), Services and EndpointSlices; every change queues one key, whose reconcile builds the whole
// model (model.ts), registers the target groups' targets for health checks (health.ts), serves the listeners
// (listeners.ts) and writes each load balancer's address into its Ingresses' or Service's
// `status.loadBalancer.ingress[0].hostname`. Events as the controller's: `SuccessfullyReconciled` once per
// generation, `FailedBuildModel` for what it refuses, `FailedDeployModel` when a listener port cannot be bound (that
// port's `error` in the status too; retried every few seconds). A load balancer whose new model fails goes on serving
// as it last was (targets kept current), as AWS keeps it. An object no longer served loses its address; all
// listeners close when the controller stops (`skiff down`).
import { Controller, type ControllerOptions, type KeysOf } from '../../client/controller.js';
import { type EventType, recordEvent } from '../../client/events.js';
import { type Informer, keyOf } from '../../client/informer.js';
import { ApiError } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { TargetHealth } from './health.js';
import { ensureIngressClass } from './ingress-class.js';
import { LoadBalancerListeners, type PortProblem } from './listeners.js';
import { buildModel, type LoadBalancer, type Model, withCurrentTargets } from './model.js';
import { addressDomain } from './names.js';

export interface LoadBalancerControllerOptions extends ControllerOptions {
  clusterName: string;
  region: string;
  /** The address listeners bind (`skiff up --host`). */
  host: string;
  /** How soon a listener port that could not be bound is tried again. */
  retryMs?: number;
}

const key = 'model';
const everything: KeysOf = () => [key];
/** EndpointSlices matter only through their endpoints and ports. */
const sliceChanges: KeysOf = (old, current) =>
  JSON.stringify([old?.endpoints, old?.ports]) === JSON.stringify([current?.endpoints, current?.ports]) ? [] : [key];
/** Services and Ingresses matter through their spec and metadata, not the status this controller writes. */
const specChanges: KeysOf = (old, current) => {
  const view = (o?: KubeObject) =>
    JSON.stringify(o ? [o.metadata.annotations, o.metadata.deletionTimestamp, o.spec] : null);
  return view(old) === view(current) ? [] : [key];
};

/** Whether an object's status holds an address this controller gives (a name under `.localhost`). */
const hasOurAddress = (o: KubeObject) =>
  (o.status?.loadBalancer?.ingress ?? []).some(
    (i: any) =>
      typeof i.hostname === 'string' && i.hostname.includes('.elb.') && i.hostname.endsWith(`.${addressDomain}`),
  );

const refOf = (o: KubeObject) => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace });
const objectKey = (o: KubeObject) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;

export class LoadBalancerController extends Controller {
  private readonly ingresses: Informer;
  private readonly classes: Informer;
  private params?: Informer;
  private readonly services: Informer;
  private readonly slices: Informer;
  readonly health = new TargetHealth();
  private readonly listeners: LoadBalancerListeners;
  /** The last event of each kind recorded per object uid, so a steady state records nothing more. */
  private readonly recorded = new Map<string, string>();
  private synced = false;
  /** The load balancers last served, by id. */
  private lastGood = new Map<string, LoadBalancer>();
  /** The last model served, for tests and the bench. */
  model?: Model;

  constructor(
    client: KubeClient,
    private readonly options: LoadBalancerControllerOptions,
  ) {
    super(client, 'load balancer controller', options, 1);
    this.listeners = new LoadBalancerListeners(options.host, this.health);
    this.ingresses = this.watch({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' }, specChanges);
    this.classes = this.watch({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass' }, everything);
    this.services = this.watch({ apiVersion: 'v1', kind: 'Service' }, specChanges);
    this.slices = this.watch({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' }, sliceChanges);
  }

  override async start(): Promise<void> {
    await ensureIngressClass(this.client);
    this.params = this.watch({ apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'IngressClassParams' }, everything);
    await super.start();
    this.synced = true;
    this.queue.add(key);
  }

  override stop(): void {
    super.stop();
    this.health.stop();
    void this.listeners.close();
  }

  /** The listener ports served now. */
  ports(): number[] {
    return this.listeners.ports();
  }

  protected override async reconcile(): Promise<{ requeueAfterMs: number } | undefined> {
    if (!this.synced) return;
    const model = buildModel({
      clusterName: this.options.clusterName,
      region: this.options.region,
      ingresses: [...this.ingresses.cache.values()],
      ingressClasses: [...this.classes.cache.values()],
      ingressClassParams: [...(this.params?.cache.values() ?? [])],
      services: [...this.services.cache.values()],
      slices: [...this.slices.cache.values()],
    });
    // A load balancer whose new model fails keeps serving as it last was, as on AWS, with its targets kept current.
    const kept = new Set<string>();
    const services = [...this.services.cache.values()];
    const built = new Set(model.loadBalancers.map((lb) => lb.id));
    for (const id of new Set(model.problems.map((p) => p.loadBalancerId))) {
      const previous = this.lastGood.get(id);
      if (built.has(id) || !previous) continue;
      const owners = previous.owners.flatMap((o) => {
        const current = (o.kind === 'Ingress' ? this.ingresses : this.services).cache.get(keyOf(o));
        return current && !current.metadata.deletionTimestamp ? [current] : [];
      });
      if (!owners.length) continue;
      kept.add(id);
      model.loadBalancers.push({ ...withCurrentTargets(previous, services, [...this.slices.cache.values()]), owners });
    }
    this.lastGood = new Map(model.loadBalancers.map((lb) => [lb.id, lb]));
    this.model = model;
    this.health.update(model.loadBalancers.flatMap((lb) => [...lb.targetGroups.values()]));
    const portProblems = await this.listeners.apply(model.loadBalancers);
    for (const problem of model.problems) {
      await this.record(problem.object, 'Warning', problem.reason, problem.message);
    }
    const served = new Set<string>();
    for (const lb of model.loadBalancers) {
      const problems = portProblems.get(lb.id) ?? [];
      for (const owner of lb.owners) {
        served.add(objectKey(owner));
        await this.writeAddress(owner, lb, problems);
        if (kept.has(lb.id)) continue;
        if (problems.length) {
          const message = `Failed deploy model due to ${problems.map((p) => p.message).join('; ')}`;
          await this.record(owner, 'Warning', 'FailedDeployModel', message);
        } else {
          await this.record(owner, 'Normal', 'SuccessfullyReconciled', 'Successfully reconciled');
        }
      }
    }
    const objects = [...this.ingresses.cache.values(), ...this.services.cache.values()];
    for (const object of objects) {
      if (!served.has(objectKey(object)) && hasOurAddress(object)) await this.patchStatus(object, { ingress: null });
    }
    const uids = new Set(objects.map((o) => o.metadata.uid));
    for (const uid of this.recorded.keys()) if (!uids.has(uid)) this.recorded.delete(uid);
    return portProblems.size ? { requeueAfterMs: this.options.retryMs ?? 5000 } : undefined;
  }

  private async writeAddress(owner: KubeObject, lb: LoadBalancer, problems: PortProblem[]): Promise<void> {
    const ports = problems.map((p) => ({ port: p.port, protocol: 'TCP', error: 'skiff.io/PortInUse' }));
    const wanted = { ingress: [{ hostname: lb.address, ...(ports.length ? { ports } : {}) }] };
    if (JSON.stringify(owner.status?.loadBalancer ?? {}) === JSON.stringify(wanted)) return;
    await this.patchStatus(owner, wanted);
  }

  private async patchStatus(object: KubeObject, loadBalancer: object): Promise<void> {
    try {
      await this.client.patch(refOf(object), object.metadata.name!, { status: { loadBalancer } }, 'merge', {
        subresource: 'status',
      });
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 404)) throw error;
    }
  }

  /** Records an event unless the object's last one of the same type said the same (per generation for success). */
  private async record(object: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const uid = object.metadata.uid ?? objectKey(object);
    const said = `${reason}\n${message}\n${type === 'Normal' ? object.metadata.generation : ''}`;
    if (this.recorded.get(uid) === said) return;
    this.recorded.set(uid, said);
    const component = object.kind === 'Ingress' ? 'ingress' : 'service';
    await recordEvent(this.client, component, object, type, reason, message).catch((error) => {
      if (!(error instanceof ApiError && error.code === 404)) throw error;
    });
  }
}
