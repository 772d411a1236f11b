// Server-side apply with ownership: the configuration is merged into the live object (src/kube/patch/apply.ts),
// fields this manager applied before and no longer applies are removed unless another manager owns them, and the
// managed fields are recorded — or the apply is refused with 409 Conflict (see record.ts).
import type { KubeObject } from '../api/types.js';
import { apply } from '../patch/apply.js';
import { isObject, type JsonObject } from '../patch/json.js';
import type { Schema } from '../schema/index.js';
import { appliedFields, previouslyApplied, recordApply, type Writer } from './record.js';
import { difference } from './sets.js';

export function serverSideApply(
  live: KubeObject | undefined,
  config: unknown,
  schema: Schema | undefined,
  writer: Writer,
  force: boolean,
): KubeObject {
  const { mine, others } = previouslyApplied(live, writer);
  const current = isObject(config) ? appliedFields(config, schema, writer) : {};
  const previous = mine ? difference(mine, others) : undefined;
  const merged = apply(live as JsonObject | undefined, config, schema, { previous, current }) as KubeObject;
  merged.metadata ??= {};
  recordApply(live, current, merged, schema, writer, force);
  return merged;
}
