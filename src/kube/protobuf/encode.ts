// encodeProtobufObject: an object's JSON form → `application/vnd.kubernetes.protobuf` bytes, written the way the Go
// (gogo-generated) marshallers write them: fields by number, non-pointer fields always, map keys sorted.
import protobuf from 'protobufjs';
import type { KubeObject } from '../api/types.js';
import { protobufMagic } from './decode.js';
import { messageFor, schema } from './schema.js';

function writeScalar(type: string, v: any, w: protobuf.Writer): void {
  switch (type) {
    case 'string':
      w.string(v ?? '');
      return;
    case 'bytes':
      w.bytes(typeof v === 'string' ? Buffer.from(v, 'base64') : (v ?? Buffer.alloc(0)));
      return;
    case 'bool':
      w.bool(Boolean(v));
      return;
    case 'int32':
      w.int32(v ?? 0);
      return;
    case 'int64':
      w.int64(v ?? 0);
      return;
  }
  throw new Error(`protobuf schema uses unsupported scalar type ${type}`);
}

const wireType = (type: string, message: boolean) => (message || type === 'string' || type === 'bytes' ? 2 : 0);

/** The well-known apimachinery types take their JSON forms; everything else is an object of fields. */
function fieldsOf(type: protobuf.Type, v: any): any {
  switch (type.name) {
    case 'Time':
      return v ? { seconds: Math.floor(Date.parse(v) / 1000), nanos: 0 } : {};
    case 'Quantity':
      return { string: String(v) };
    case 'IntOrString':
      return typeof v === 'string' ? { type: 1, intVal: 0, strVal: v } : { type: 0, intVal: v ?? 0, strVal: '' };
  }
  return v ?? {};
}

function writeMessage(type: protobuf.Type, v: any, w: protobuf.Writer): void {
  w.fork();
  const fields = fieldsOf(type, v);
  if (type.name !== 'Time' || Object.keys(fields).length > 0) writeFields(type, fields, w);
  w.ldelim();
}

function writeValue(field: protobuf.FieldBase, id: number, v: unknown, w: protobuf.Writer): void {
  const message = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
  w.uint32((id << 3) | wireType(field.type, Boolean(message)));
  if (message) writeMessage(message, v, w);
  else writeScalar(field.type, v, w);
}

function writeFields(type: protobuf.Type, obj: any, w: protobuf.Writer): void {
  for (const field of [...type.fieldsArray].sort((a, b) => a.id - b.id)) {
    const go = field.options?.['(go)'];
    const v = go === 'inline' ? obj : obj[field.name];
    if (field instanceof protobuf.MapField) {
      for (const key of Object.keys(v ?? {}).sort()) {
        w.uint32((field.id << 3) | 2).fork();
        w.uint32((1 << 3) | 2).string(key);
        writeValue(field, 2, v[key], w);
        w.ldelim();
      }
    } else if (field.repeated) {
      for (const item of (v as unknown[] | undefined) ?? []) writeValue(field, field.id, item, w);
    } else if (field.resolvedType instanceof protobuf.Type && go !== 'value' && go !== 'inline') {
      if (v !== undefined && v !== null) writeValue(field, field.id, v, w);
    } else if (go === 'ptr') {
      if (v !== undefined && v !== null) writeValue(field, field.id, v, w);
    } else writeValue(field, field.id, v, w);
  }
}

/** Encodes an object of a kind decodeProtobufObject supports; throws for other kinds. */
export function encodeProtobufObject(obj: KubeObject): Buffer {
  const type = messageFor(obj.apiVersion, obj.kind);
  if (!type) throw new Error(`protobuf encoding of ${obj.apiVersion} ${obj.kind} is not supported`);
  const raw = protobuf.Writer.create();
  writeFields(type, obj, raw);
  const unknown = schema().lookupType('k8s.Unknown');
  const envelope = unknown.encode({
    typeMeta: { apiVersion: obj.apiVersion, kind: obj.kind },
    raw: raw.finish(),
    contentEncoding: '',
    contentType: '',
  });
  return Buffer.concat([protobufMagic, envelope.finish()]);
}
