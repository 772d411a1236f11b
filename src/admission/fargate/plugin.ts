// The Fargate mutating admission: on pod CREATE, the ACTIVE profile chosen by src/fargate/matching.ts captures
// the pod (capture.ts). The profile list follows facts.watchProfiles; the Logging annotation reads the API.
import type { ClusterFacts } from '../../cloud/facts.js';
import { chooseProfile, type MatchableProfile } from '../../fargate/matching.js';
import type { AdmissionRequest, MutatingPlugin } from '../../kube/admission/chain.js';
import { capturePod } from './capture.js';
import { loggingAnnotationValue, type ReadConfigMap, type ReadNamespace } from './logging.js';
import { fargateWebhookName } from './webhook-configuration.js';

export interface FargateAdmissionOptions {
  facts: ClusterFacts;
  readNamespace: ReadNamespace;
  readConfigMap: ReadConfigMap;
}

export interface FargateAdmission extends MutatingPlugin {
  /** The profiles pods are matched against now (ACTIVE ones only). */
  activeProfiles(): readonly MatchableProfile[];
  /** Stops following the profiles. */
  close(): void;
}

const isPodCreate = (request: AdmissionRequest) =>
  request.operation === 'CREATE' &&
  request.resource.group === '' &&
  request.resource.resource === 'pods' &&
  !request.subresource &&
  request.object !== undefined;

/** Resolves once the first profile list has arrived, so no pod is admitted against an empty list by mistake. */
export async function fargateAdmission(options: FargateAdmissionOptions): Promise<FargateAdmission> {
  let active: MatchableProfile[] = [];
  const subscription = await options.facts.watchProfiles((profiles) => {
    active = profiles
      .filter((p) => p.status === 'ACTIVE')
      .map(({ name, status, selectors }) => ({ name, status, selectors }));
  });
  return {
    name: fargateWebhookName,
    async admit(request) {
      if (!isPodCreate(request)) return;
      const pod = request.object!;
      const namespace = request.namespace ?? pod.metadata.namespace;
      const choice = chooseProfile({ ...pod, metadata: { ...pod.metadata, namespace } }, active);
      if (!('profile' in choice)) return;
      const logging = await loggingAnnotationValue(options.readNamespace, options.readConfigMap);
      capturePod(pod, choice.profile, logging);
    },
    activeProfiles: () => active,
    close: () => subscription.close(),
  };
}
