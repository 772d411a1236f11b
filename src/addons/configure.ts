// An EKS add-on's objects as one version and configuration make them: the data/addons manifest with the version's
// image tags and the configurationValues applied the way EKS's add-on schemas mean them — replicaCount, resources
// (of the main container), tolerations, nodeSelector, affinity, podAnnotations, podLabels, env (of the main
// container), corefile (coredns' ConfigMap) and computeType (Fargate drops coredns' ec2 compute-type annotation).
import type { KubeObject } from '../kube/api/types.js';
import { type AddonName, type AddonValues, addonObjects } from './manifests.js';

export interface AddonConfiguration {
  replicaCount?: number;
  resources?: Record<string, unknown>;
  tolerations?: unknown[];
  nodeSelector?: Record<string, string>;
  affinity?: Record<string, unknown> | null;
  podAnnotations?: Record<string, string>;
  podLabels?: Record<string, string>;
  env?: Record<string, string>;
  corefile?: string;
  computeType?: 'EC2' | 'Fargate';
}

const workloadKinds = new Set(['Deployment', 'DaemonSet']);
const computeTypeAnnotation = 'eks.amazonaws.com/compute-type';

/** `602401143452.dkr.ecr.<region>.amazonaws.com/eks/coredns:v1` → `eks/coredns`. */
function repositoryOf(image: string): string {
  const withoutTag = image.slice(0, image.lastIndexOf(':'));
  return withoutTag.slice(withoutTag.indexOf('/') + 1);
}

export function withImageTags(image: string, tags: Record<string, string>): string {
  const tag = tags[repositoryOf(image)];
  return tag ? `${image.slice(0, image.lastIndexOf(':'))}:${tag}` : image;
}

function configureWorkload(object: any, config: AddonConfiguration, tags: Record<string, string>): void {
  const template = object.spec.template;
  const pod = template.spec;
  for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) c.image = withImageTags(c.image, tags);
  const main = (pod.containers ?? []).find((c: any) => c.name === object.metadata.name) ?? pod.containers?.[0];
  if (config.replicaCount !== undefined && object.kind === 'Deployment') object.spec.replicas = config.replicaCount;
  if (config.resources && main) main.resources = config.resources;
  if (config.env && main) {
    const env: { name: string; value?: string }[] = main.env ?? [];
    for (const [name, value] of Object.entries(config.env)) {
      const found = env.find((e) => e.name === name);
      if (found) {
        found.value = value;
        delete (found as any).valueFrom;
      } else env.push({ name, value });
    }
    main.env = env;
  }
  if (config.tolerations) pod.tolerations = config.tolerations;
  if (config.nodeSelector) pod.nodeSelector = config.nodeSelector;
  if (config.affinity !== undefined) {
    if (config.affinity === null) delete pod.affinity;
    else pod.affinity = config.affinity;
  }
  if (config.podAnnotations)
    template.metadata.annotations = { ...template.metadata.annotations, ...config.podAnnotations };
  if (config.podLabels) template.metadata.labels = { ...template.metadata.labels, ...config.podLabels };
  if (config.computeType === 'Fargate' && template.metadata.annotations) {
    delete template.metadata.annotations[computeTypeAnnotation];
    if (Object.keys(template.metadata.annotations).length === 0) delete template.metadata.annotations;
  }
}

/** The manifest's objects for `images` (tag by repository) and `config`, in the manifest's order. */
export function configuredAddonObjects(
  manifest: AddonName,
  values: AddonValues,
  images: Record<string, string>,
  config: AddonConfiguration,
): KubeObject[] {
  const objects = addonObjects(manifest, values);
  for (const object of objects as any[]) {
    if (workloadKinds.has(object.kind)) configureWorkload(object, config, images);
    if (object.kind === 'ConfigMap' && manifest === 'coredns' && config.corefile !== undefined)
      object.data = { ...object.data, Corefile: config.corefile };
  }
  return objects;
}

/** Every image any of `versions` (image tags by repository) runs, for the manifests' images. */
export function imagesOfVersions(manifestImages: string[], versions: Record<string, string>[]): string[] {
  const all = new Set(manifestImages);
  for (const tags of versions) for (const image of manifestImages) all.add(withImageTags(image, tags));
  return [...all];
}
