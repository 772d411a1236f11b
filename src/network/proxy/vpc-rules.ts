// One VPC namespace's packet-filter ruleset for every cluster in it: each cluster's service proxy hands in what its
// rules are made from, and the rules of all of them are rendered together (render.ts: the first cluster's, then
// each other cluster's chains and the dispatch to them) and loaded when the text changes, one load at a time.
import { applyRules } from './apply.js';
import { type ClusterRules, type ProxyInput, renderRules } from './render.js';

/** The first cluster (`skiff up`'s own): its rules take whatever no other cluster's pod sends. */
export const firstCluster = '';

export class VpcRules {
  private readonly inputs = new Map<string, ProxyInput>();
  private applied?: string;
  private loading: Promise<void> = Promise.resolve();

  constructor(
    private readonly netns: string,
    /** Loads a ruleset; by default iptables-restore in the namespace. */
    private readonly apply: (netns: string, rules: string) => Promise<void> = applyRules,
  ) {}

  /** A cluster's new input; resolves once the VPC's rules reflect it (loaded, or unchanged). */
  update(cluster: string, input: ProxyInput): Promise<void> {
    this.inputs.set(cluster, input);
    return this.load();
  }

  /** A cluster gone (deleted, or Skiff stopping it): its rules go with the next load. */
  remove(cluster: string): Promise<void> {
    if (!this.inputs.delete(cluster)) return this.loading;
    return this.load();
  }

  /** The ruleset of every cluster now, as it would be loaded. */
  render(): string | undefined {
    const any = this.inputs.values().next().value as ProxyInput | undefined;
    if (!any) return undefined;
    const first = this.inputs.get(firstCluster) ?? {
      services: [],
      slices: [],
      pods: [],
      nodes: [],
      vpcCidr: any.vpcCidr,
      ...(any.hostLink ? { hostLink: any.hostLink } : {}),
    };
    const others: ClusterRules[] = [...this.inputs]
      .filter(([name]) => name !== firstCluster)
      .map(([name, input]) => ({ name, input }));
    return renderRules(first, others);
  }

  private load(): Promise<void> {
    const next = this.loading.then(async () => {
      const rules = this.render();
      if (rules === undefined || rules === this.applied) return;
      await this.apply(this.netns, rules);
      this.applied = rules;
    });
    this.loading = next.catch(() => undefined);
    return next;
  }
}
