// What the kube API needs to know of IAM access, kept in memory from the store (listed once, then watched):
// the cluster's authenticationMode, its access entries with their policies, and the aws-auth ConfigMap.
import type { Backend, KeyValue, Watch } from '../../store/types.js';
import { type ClusterRecord, defaultAccessConfig, keys } from '../records.js';
import { type AwsAuth, parseAwsAuth } from './aws-auth.js';
import { accessEntryKeys, type StoredAccessEntry } from './records.js';

export const awsAuthKey = '/registry/core/configmaps/kube-system/aws-auth';

export class AccessCache {
  readonly entries = new Map<string, StoredAccessEntry>();
  awsAuth: AwsAuth = { roles: [], users: [] };
  cluster?: ClusterRecord;
  private watches: Watch[] = [];

  constructor(
    private store: Backend,
    readonly clusterName: string,
    /** Where the cluster's kube objects live (the aws-auth ConfigMap), when not beside the EKS records. */
    private kubeStore: Backend = store,
  ) {}

  get mode() {
    return (this.cluster?.accessConfig ?? defaultAccessConfig).authenticationMode;
  }

  async start(): Promise<void> {
    const follow = async (prefix: string, apply: (kv: KeyValue, deleted: boolean) => void, store = this.store) => {
      const listed = await store.list(prefix);
      for (const kv of listed.items) apply(kv, false);
      const watch = await store.watch(prefix, { afterRevision: listed.revision }, (event) =>
        apply(event.kv, event.type === 'delete'),
      );
      this.watches.push(watch);
    };
    await follow(accessEntryKeys.entries(this.clusterName), (kv, deleted) => {
      if (deleted) this.entries.delete(kv.key);
      else this.entries.set(kv.key, JSON.parse(kv.value) as StoredAccessEntry);
    });
    await follow(keys.cluster(this.clusterName), (kv, deleted) => {
      if (kv.key !== keys.cluster(this.clusterName)) return;
      this.cluster = deleted ? undefined : (JSON.parse(kv.value) as ClusterRecord);
    });
    await follow(
      awsAuthKey,
      (kv, deleted) => {
        if (kv.key !== awsAuthKey) return;
        this.awsAuth = parseAwsAuth(deleted ? undefined : JSON.parse(kv.value).data);
      },
      this.kubeStore,
    );
  }

  stop(): void {
    for (const watch of this.watches.splice(0)) watch.close();
  }

  entryFor(principalArn: string): StoredAccessEntry | undefined {
    return this.entries.get(accessEntryKeys.entry(this.clusterName, principalArn));
  }
}
