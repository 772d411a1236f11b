// The schema of a served resource: its built-in definition, or its CRD version's schema with the fields every
// object has, as patching, pruning and field validation read it.
import type { ResourceInfo } from '../resources/types.js';
import { customResourceSchema, type Schema, schemaForKind } from '../schema/index.js';

export function schemaOf(info: ResourceInfo): Schema | undefined {
  if (info.custom) return customResourceSchema(info.group, info.version, info.kind, info.custom.schema as Schema);
  return schemaForKind(info.group, info.version, info.kind);
}
