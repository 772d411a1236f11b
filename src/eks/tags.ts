// TagResource / UntagResource / ListTagsForResource on /tags/{resourceArn}: the one change a Fargate profile
// allows after creation. Works for the cluster, its Fargate profiles, node groups and add-ons.
import { parseEksResourceArn } from '../fargate/arn.js';
import { validateTags } from '../fargate/profile-validation.js';
import { addonKeys } from './addons/read.js';
import { type EksContext, readJson } from './context.js';
import { EksError } from './errors.js';
import { keys } from './records.js';
import type { Route } from './router.js';

interface Tagged {
  key: string;
  modRevision: number;
  record: Record<string, unknown>;
  tags: Record<string, string>;
  setTags(tags: Record<string, string>): void;
}

async function findTagged(ctx: EksContext, arnText: string): Promise<Tagged> {
  const ref = parseEksResourceArn(arnText);
  if (!ref) throw new EksError('BadRequestException', `${arnText} is not a valid resource ARN.`);
  const notFound = new EksError('NotFoundException', `Resource ${arnText} not found.`);
  const name = ref.name as string;
  const where = {
    cluster: { key: keys.cluster(ref.cluster), member: undefined },
    fargateprofile: { key: keys.profile(ref.cluster, name), member: 'profile' },
    nodegroup: { key: keys.nodegroup(ref.cluster, name), member: 'nodegroup' },
    addon: { key: addonKeys.addon(ref.cluster, name), member: 'addon' },
  }[ref.kind];
  const key = where.key;
  const found = await readJson<Record<string, unknown>>(ctx.store, key);
  if (!found) throw notFound;
  const record = found.value;
  const holder = (where.member ? record[where.member] : record) as {
    tags: Record<string, string>;
    arn?: string;
    fargateProfileArn?: string;
    nodegroupArn?: string;
    addonArn?: string;
  };
  if ((holder.arn ?? holder.fargateProfileArn ?? holder.nodegroupArn ?? holder.addonArn) !== arnText) throw notFound;
  return {
    key,
    modRevision: found.modRevision,
    record,
    tags: holder.tags ?? {},
    setTags: (tags) => {
      holder.tags = tags;
    },
  };
}

async function save(ctx: EksContext, t: Tagged, tags: Record<string, string>) {
  t.setTags(tags);
  await ctx.store.update(t.key, JSON.stringify(t.record), t.modRevision);
}

export const listTagsForResource: Route = async (ctx, { params }) => {
  return { tags: (await findTagged(ctx, params.resourceArn)).tags };
};

export const tagResource: Route = async (ctx, { params, body }) => {
  const t = await findTagged(ctx, params.resourceArn);
  const adding = body.tags as Record<string, string> | undefined;
  if (!adding || Object.keys(adding).length === 0)
    throw new EksError('BadRequestException', 'tags must contain at least one tag.');
  const merged = { ...t.tags, ...adding };
  const fault = validateTags(merged);
  if (fault) throw new EksError('BadRequestException', fault.message);
  await save(ctx, t, merged);
  return {};
};

export const untagResource: Route = async (ctx, { params, query }) => {
  const t = await findTagged(ctx, params.resourceArn);
  const removing = query.getAll('tagKeys');
  if (removing.length === 0) throw new EksError('BadRequestException', 'tagKeys must contain at least one key.');
  await save(ctx, t, Object.fromEntries(Object.entries(t.tags).filter(([k]) => !removing.includes(k))));
  return {};
};
