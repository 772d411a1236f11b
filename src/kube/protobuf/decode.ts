// decodeProtobufObject: a `application/vnd.kubernetes.protobuf` body (the `k8s\0` magic, a runtime.Unknown envelope
// and the object's generated protobuf) → the object's JSON form, exactly as Go's encoding/json would write it.
import protobuf from 'protobufjs';
import type { KubeObject } from '../api/types.js';
import { messageFor, schema, supportedKinds } from './schema.js';

export const protobufMagic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Fields = Map<protobuf.Field, unknown>;
const packable = new Set(['int32', 'int64', 'uint32', 'uint64', 'bool', 'sint32', 'sint64', 'enum']);

function readScalar(type: string, r: protobuf.Reader): unknown {
  switch (type) {
    case 'string':
      return r.string();
    case 'bytes':
      return Buffer.from(r.bytes());
    case 'bool':
      return r.bool();
    case 'int32':
      return r.int32();
    case 'int64':
      return Number(r.int64().toString());
  }
  throw new Error(`protobuf schema uses unsupported scalar type ${type}`);
}

function readValue(field: protobuf.FieldBase, type: string, r: protobuf.Reader): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type && type === field.type) {
    const len = r.uint32();
    return readFields(resolved, r, r.pos + len);
  }
  return readScalar(type, r);
}

function readMapEntry(field: protobuf.MapField, r: protobuf.Reader): [string, unknown] {
  const end = r.pos + r.uint32();
  let key = '';
  let value: unknown;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) key = r.string();
    else if (tag >>> 3 === 2) value = readValue(field, field.type, r);
    else r.skipType(tag & 7);
  }
  if (value === undefined) value = field.resolvedType ? new Map() : field.type === 'bytes' ? Buffer.alloc(0) : '';
  return [key, value];
}

/** Every field of one message, by field, as raw protobuf values (nested messages as their own Fields). */
function readFields(type: protobuf.Type, r: protobuf.Reader, end: number): Fields {
  const fields: Fields = new Map();
  while (r.pos < end) {
    const tag = r.uint32();
    const field = type.fieldsById[tag >>> 3];
    const wire = tag & 7;
    if (!field) throw new Error(`unsupported field ${tag >>> 3} (wire type ${wire}) in ${type.name}`);
    if (field instanceof protobuf.MapField) {
      const map = (fields.get(field) as Map<string, unknown>) ?? new Map<string, unknown>();
      const [k, v] = readMapEntry(field, r);
      map.set(k, v);
      fields.set(field, map);
    } else if (field.repeated) {
      const list = (fields.get(field) as unknown[]) ?? [];
      if (wire === 2 && packable.has(field.type)) {
        const packedEnd = r.pos + r.uint32();
        while (r.pos < packedEnd) list.push(readScalar(field.type, r));
      } else list.push(readValue(field, field.type, r));
      fields.set(field, list);
    } else fields.set(field, readValue(field, field.type, r));
  }
  if (r.pos !== end) throw new Error(`truncated ${type.name}`);
  return fields;
}

/** Go's RFC 3339 form of a metav1.Time (whole seconds, UTC); an empty Time is the zero time, JSON null. */
function timeJSON(fields: Fields, type: protobuf.Type): string | null {
  if (fields.size === 0) return null;
  const seconds = (fields.get(type.fields.seconds) as number) ?? 0;
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const isZero = (v: unknown) => v === '' || v === 0 || v === false || (Buffer.isBuffer(v) && v.length === 0);
const scalarJSON = (v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v);
const zeroOf = (type: string) => (type === 'string' ? '' : type === 'bool' ? false : type === 'bytes' ? '' : 0);

function valueJSON(field: protobuf.FieldBase, v: unknown): unknown {
  return field.resolvedType instanceof protobuf.Type ? messageJSON(field.resolvedType, v as Fields) : scalarJSON(v);
}

/** One message as Go's encoding/json writes it; the well-known apimachinery types get their JSON forms. */
function messageJSON(type: protobuf.Type, fields: Fields): any {
  switch (type.name) {
    case 'Time':
      return timeJSON(fields, type);
    case 'Quantity':
      return (fields.get(type.fields.string) as string) ?? '0';
    case 'IntOrString':
      return fields.get(type.fields.type) === 1
        ? ((fields.get(type.fields.strVal) as string) ?? '')
        : ((fields.get(type.fields.intVal) as number) ?? 0);
  }
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const present = fields.has(field);
    const v = fields.get(field);
    const go = field.options?.['(go)'];
    if (field instanceof protobuf.MapField) {
      const map = v as Map<string, unknown> | undefined;
      if (map?.size) out[field.name] = Object.fromEntries([...map].map(([k, x]) => [k, valueJSON(field, x)]));
    } else if (field.repeated) {
      if ((v as unknown[] | undefined)?.length) out[field.name] = (v as unknown[]).map((x) => valueJSON(field, x));
    } else if (go === 'inline') {
      if (present) Object.assign(out, valueJSON(field, v));
    } else if (field.resolvedType instanceof protobuf.Type) {
      if (present) out[field.name] = valueJSON(field, v);
      else if (go === 'value') out[field.name] = messageJSON(field.resolvedType, new Map());
    } else if (go === 'ptr') {
      if (present) out[field.name] = scalarJSON(v);
    } else if (go === 'value') out[field.name] = present ? scalarJSON(v) : zeroOf(field.type);
    else if (present && !isZero(v)) out[field.name] = scalarJSON(v);
  }
  return out;
}

/** Decodes a kube protobuf request body; throws an Error saying what is wrong when it cannot. */
export function decodeProtobufObject(body: Buffer): KubeObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(protobufMagic))
    throw new Error('protobuf body does not start with the Kubernetes magic "k8s\\x00"');
  const unknownType = schema().lookupType('k8s.Unknown');
  let envelope: Fields;
  try {
    envelope = readFields(unknownType, protobuf.Reader.create(body.subarray(4)), body.length - 4);
  } catch (err) {
    throw new Error(`invalid protobuf envelope: ${(err as Error).message}`);
  }
  const typeMeta = messageJSON(
    unknownType.fields.typeMeta.resolvedType as protobuf.Type,
    (envelope.get(unknownType.fields.typeMeta) as Fields) ?? new Map(),
  );
  const encoding = envelope.get(unknownType.fields.contentEncoding);
  if (encoding) throw new Error(`unsupported protobuf content encoding ${encoding}`);
  const { apiVersion, kind } = typeMeta as { apiVersion?: string; kind?: string };
  if (!apiVersion || !kind) throw new Error('protobuf envelope has no apiVersion and kind');
  const type = messageFor(apiVersion, kind);
  if (!type)
    throw new Error(
      `protobuf decoding of ${apiVersion} ${kind} is not supported (supported: ${supportedKinds().join(', ')}); send JSON`,
    );
  const raw = (envelope.get(unknownType.fields.raw) as Buffer) ?? Buffer.alloc(0);
  let fields: Fields;
  try {
    fields = readFields(type, protobuf.Reader.create(raw), raw.length);
  } catch (err) {
    throw new Error(`invalid protobuf ${kind}: ${(err as Error).message}`);
  }
  return { kind, apiVersion, ...messageJSON(type, fields) };
}
