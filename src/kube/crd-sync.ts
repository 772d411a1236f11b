// Keeps the served resources in step with the stored CRDs: loaded at start, updated after every CRD write in the
// same request (so a custom resource can be created right after its CRD), and a deleted CRD's objects removed.
import type { KubeObject } from './api/types.js';
import type { ApiContext } from './rest/context.js';
import { listObjects } from './rest/list.js';
import { resourcePrefix } from './storage/objects.js';
import { customResourceInfos } from './strategy/crd.js';

function crdResource(ctx: ApiContext) {
  return ctx.registry.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
}

async function removeCustomObjects(ctx: ApiContext, crd: KubeObject): Promise<void> {
  for (const info of customResourceInfos(crd).slice(0, 1)) {
    const prefix = resourcePrefix(info);
    for (;;) {
      const page = await ctx.store.list(prefix, { limit: 500 });
      for (const kv of page.items) await ctx.store.delete(kv.key).catch(() => undefined);
      if (!page.more) break;
    }
  }
}

export async function installCrdSync(ctx: ApiContext): Promise<void> {
  const crds = await listObjects(ctx, crdResource(ctx), undefined, {});
  for (const crd of crds.items) ctx.registry.setCustom(crd.metadata.name!, customResourceInfos(crd));
  ctx.afterWrite.push(async (info, object, deleted) => {
    if (info.group !== 'apiextensions.k8s.io' || info.resource !== 'customresourcedefinitions') return;
    if (deleted) await removeCustomObjects(ctx, object);
    ctx.registry.setCustom(object.metadata.name!, deleted ? [] : customResourceInfos(object));
  });
}
