// What every REST verb works with: the store, the served resources, the admission chain, and the options of the
// request (who asks, dry run, field manager). Verbs are plain functions of (context, resource, request).
import type { Backend } from '../../store/types.js';
import type { AdmissionChain } from '../admission/chain.js';
import type { KubeObject } from '../api/types.js';
import type { UserInfo } from '../auth/types.js';
import type { Authorizer } from '../authz/authorizer.js';
import type { AgentTls } from '../pki/agent-certs.js';
import type { ResourceRegistry } from '../resources/registry.js';
import type { ResourceInfo } from '../resources/types.js';
import type { TokenSigner } from '../serviceaccount/signer.js';
import type { WriteGuard } from '../storage/write-guard.js';

export interface ApiContext {
  store: Backend;
  registry: ResourceRegistry;
  admission: AdmissionChain;
  /** Whether a garbage collector honours orphan/foreground finalizers (else propagation is background). */
  garbageCollector: boolean;
  /** Called after a committed write (CRDs change the served resources). */
  afterWrite: ((info: ResourceInfo, object: KubeObject, deleted: boolean) => Promise<void>)[];
  /** The cluster CA and the client certificate the kube API shows agents (pods/log, exec, attach, portforward). */
  agentClient?: AgentTls;
  /** Signs ServiceAccount tokens (TokenRequest) and checks them; absent: no tokens are issued. */
  tokenSigner?: TokenSigner;
  /** Decides every HTTPS request (src/kube/authz/); absent: every authenticated request is allowed. */
  authorizer?: Authorizer;
  /** Holds back the writes of a reconcile that runs away (storage/write-guard.ts); absent: none is. */
  writeGuard?: WriteGuard;
  /** What GET /metrics serves (Prometheus text format); absent: /metrics is not found. */
  metrics?: { readonly contentType: string; metrics(): Promise<string> };
}

export interface RequestOptions {
  user?: UserInfo;
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
  subresource?: string;
  /** The request's User-Agent: its program name is the default field manager. */
  userAgent?: string;
  /** Server-side apply: take fields other managers own instead of answering 409 Conflict. */
  force?: boolean;
  /** Set by server-side apply, which records its own managed fields before the write is committed. */
  managedFieldsRecorded?: boolean;
  /**
   * The top-level fields a client's body can have changed: a patch's (patch/touched.ts), none for a binding (its
   * body is checked as a Binding). Only these are type-checked and pruned; the rest is the stored object's or the
   * API's own. Undefined: the whole object is.
   */
  touched?: readonly string[];
}

export async function notifyWrite(ctx: ApiContext, info: ResourceInfo, object: KubeObject, deleted = false) {
  for (const hook of ctx.afterWrite) await hook(info, object, deleted);
}

let timestampSecond = Number.NaN;
let timestampText = '';

/** The time now to the second, as RFC 3339 (2024-01-02T03:04:05Z); formatted once per second. */
export function nowTimestamp(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== timestampSecond) {
    timestampText = new Date(second * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    timestampSecond = second;
  }
  return timestampText;
}
