// The schema of a served resource: its built-in definition, or its CRD version's schema with the fields every
// object has, as patching, pruning and field validation read it. A custom resource's is built once per served
// version (per ResourceInfo) and shared: schemas are read, never changed.
import type { ResourceInfo } from '../resources/types.js';
import { customResourceSchema, type Schema, schemaForKind } from '../schema/index.js';

interface Built {
  from: unknown;
  kind: string;
  schema: Schema;
}

const customSchemas = new WeakMap<NonNullable<ResourceInfo['custom']>, Built>();

export function schemaOf(info: ResourceInfo): Schema | undefined {
  const custom = info.custom;
  if (!custom) return schemaForKind(info.group, info.version, info.kind);
  const built = customSchemas.get(custom);
  const kind = `${info.group}/${info.version}/${info.kind}`;
  if (built && built.from === custom.schema && built.kind === kind) return built.schema;
  const schema = customResourceSchema(info.group, info.version, info.kind, custom.schema as Schema);
  customSchemas.set(custom, { from: custom.schema, kind, schema });
  return schema;
}
