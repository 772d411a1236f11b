// Custom resources against their structural schema, with kube-apiserver's causes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Schema } from './types.js';
import { validateCustomResource } from './validate-custom.js';

const schema: Schema = {
  type: 'object',
  required: ['spec'],
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer', minimum: 1, maximum: 10 },
        color: { type: 'string', enum: ['red', 'blue'] },
        name: { type: 'string', maxLength: 5, pattern: '^[a-z]+$' },
        port: { 'x-kubernetes-int-or-string': true },
        tags: { type: 'array', maxItems: 2, items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        ratio: { type: 'number', nullable: true },
      },
    },
  },
};

const messages = (object: Record<string, unknown>) =>
  validateCustomResource(schema, object).map((c) => `${c.field}: ${c.message}`);

test('a valid custom resource has no causes', () => {
  assert.deepEqual(
    messages({
      apiVersion: 'x/v1',
      kind: 'W',
      metadata: {},
      spec: { size: 3, color: 'red', name: 'ab', port: 'http', tags: ['a'], free: { any: [1] }, ratio: null },
    }),
    [],
  );
});

test('each violation is worded as kube-apiserver words it', () => {
  assert.deepEqual(messages({}), ['spec: Required value']);
  assert.deepEqual(messages({ spec: { size: 'big' } }), [
    'spec.size: Invalid value: "big": spec.size in body must be of type integer: "string"',
  ]);
  assert.deepEqual(
    messages({ spec: { size: 11, color: 'green', name: 'ABCDEF', port: true, tags: ['a', 'a', 'b'], ratio: 'x' } }),
    [
      'spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10',
      'spec.color: Unsupported value: "green": supported values: "red", "blue"',
      'spec.name: Too long: may not be more than 5 bytes',
      'spec.name: Invalid value: "ABCDEF": spec.name in body should match \'^[a-z]+$\'',
      'spec.port: Invalid value: true: spec.port in body must be of type integer,string: "boolean"',
      'spec.tags: Too many: 3: must have at most 2 items',
      'spec.tags[1]: Duplicate value: "a"',
      'spec.ratio: Invalid value: "x": spec.ratio in body must be of type number: "string"',
    ],
  );
  assert.deepEqual(messages({ spec: {} }), ['spec.size: Required value']);
});
