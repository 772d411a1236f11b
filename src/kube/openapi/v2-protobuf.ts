// The protobuf form of the v2 document (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`, gnostic's
// openapi.v2.Document) that kubectl before 1.30 asks /openapi/v2 for. Values that are data, not schema — vendor
// extensions, default, example, enum — travel as gnostic's Any with their YAML text (JSON is YAML); keywords v2
// has no field for (v3's oneOf, anyOf, not, nullable) are left out, as kube-apiserver's v2 leaves them out.
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

type Json = Record<string, any>;

/** What kubectl accepts (with '@', or '.' as kube-openapi also takes), and what kube-apiserver answers. */
export const openApiV2ProtobufAccepts = [
  'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
  'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
];
export const openApiV2ProtobufType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

let root: protobuf.Root | undefined;
function documentType(): protobuf.Type {
  if (!root) {
    root = protobuf.parse(readFileSync(new URL('./openapiv2.proto', import.meta.url), 'utf8'), { keepCase: true }).root;
    root.resolveAll();
  }
  return root.lookupType('openapi.v2.Document');
}

const any = (value: unknown) => ({ yaml: `${JSON.stringify(value)}\n` });
const extensions = (object: Json) =>
  Object.entries(object)
    .filter(([key]) => key.startsWith('x-'))
    .map(([name, value]) => ({ name, value: any(value) }));

const schemaScalars: Record<string, string> = {
  format: 'format',
  title: 'title',
  description: 'description',
  multipleOf: 'multiple_of',
  maximum: 'maximum',
  exclusiveMaximum: 'exclusive_maximum',
  minimum: 'minimum',
  exclusiveMinimum: 'exclusive_minimum',
  maxLength: 'max_length',
  minLength: 'min_length',
  pattern: 'pattern',
  maxItems: 'max_items',
  minItems: 'min_items',
  uniqueItems: 'unique_items',
  maxProperties: 'max_properties',
  minProperties: 'min_properties',
  required: 'required',
  discriminator: 'discriminator',
  readOnly: 'read_only',
};

function schema(s: Json): Json {
  const out: Json = {};
  if (typeof s.$ref === 'string') out._ref = s.$ref;
  for (const [key, field] of Object.entries(schemaScalars)) if (s[key] !== undefined) out[field] = s[key];
  if (s.default !== undefined) out.default = any(s.default);
  if (s.example !== undefined) out.example = any(s.example);
  if (Array.isArray(s.enum)) out.enum = s.enum.map(any);
  if (typeof s.additionalProperties === 'boolean') out.additional_properties = { boolean: s.additionalProperties };
  else if (s.additionalProperties) out.additional_properties = { schema: schema(s.additionalProperties) };
  if (s.type !== undefined) out.type = { value: Array.isArray(s.type) ? s.type : [s.type] };
  if (s.items) out.items = { schema: (Array.isArray(s.items) ? s.items : [s.items]).map(schema) };
  if (Array.isArray(s.allOf)) out.all_of = s.allOf.map(schema);
  if (s.properties) out.properties = { additional_properties: named(s.properties, schema) };
  const vendor = extensions(s);
  if (vendor.length) out.vendor_extension = vendor;
  return out;
}

const named = (object: Json, convert: (value: any) => Json) =>
  Object.entries(object).map(([name, value]) => ({ name, value: convert(value) }));

function parameter(p: Json): Json {
  if (p.in === 'body') {
    const body = {
      name: p.name,
      in: p.in,
      description: p.description,
      required: p.required,
      schema: schema(p.schema ?? {}),
    };
    return { parameter: { body_parameter: body } };
  }
  const sub = {
    name: p.name,
    in: p.in,
    description: p.description,
    required: p.required,
    type: p.type,
    format: p.format,
    unique_items: p.uniqueItems,
    vendor_extension: extensions(p),
  };
  const kind = { query: 'query', path: 'path', header: 'header', formData: 'form_data' }[p.in as string] ?? 'query';
  return { parameter: { non_body_parameter: { [`${kind}_parameter_sub_schema`]: sub } } };
}

function operation(o: Json): Json {
  return {
    tags: o.tags,
    summary: o.summary,
    description: o.description,
    operation_id: o.operationId,
    produces: o.produces,
    consumes: o.consumes,
    parameters: (o.parameters ?? []).map(parameter),
    responses: {
      response_code: named(o.responses ?? {}, (r: Json) => ({
        response: { description: r.description, ...(r.schema ? { schema: { schema: schema(r.schema) } } : {}) },
      })),
    },
    schemes: o.schemes,
    deprecated: o.deprecated,
    vendor_extension: extensions(o),
  };
}

function pathItem(item: Json): Json {
  const out: Json = { vendor_extension: extensions(item) };
  for (const method of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch']) {
    if (item[method]) out[method] = operation(item[method]);
  }
  if (item.parameters) out.parameters = item.parameters.map(parameter);
  return out;
}

/** The document's protobuf bytes. */
export function openApiV2Protobuf(document: Json): Uint8Array {
  const type = documentType();
  const message = {
    swagger: document.swagger,
    info: { title: document.info?.title, version: document.info?.version },
    paths: { path: named(document.paths ?? {}, pathItem) },
    definitions: { additional_properties: named(document.definitions ?? {}, schema) },
  };
  return type.encode(type.fromObject(message)).finish();
}
