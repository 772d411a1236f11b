// toTable's envelope (version, list metadata, includeObject) and custom resources' printer columns and JSONPath.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/types.js';
import { evaluate, parseJsonPath } from './jsonpath.js';
import { toTable } from './to-table.js';
import type { CrdPrinterColumn } from './types.js';

const now = new Date('2026-11-22T12:00:00Z');
const widget: KubeObject = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w1', namespace: 'default', creationTimestamp: '2026-11-22T11:59:50Z', labels: { a: 'b' } },
  spec: { size: 3, ratio: 0.5, enabled: true, tags: ['x', 'y'], owner: { team: 'core' }, 'dotted.key': 'd' },
  status: {
    conditions: [
      { type: 'Synced', status: 'False' },
      { type: 'Ready', status: 'True', lastTransitionTime: '2026-11-22T11:00:00Z' },
    ],
  },
};

test('envelope: v1 by default, list metadata, PartialObjectMetadata rows', () => {
  const table = toTable('Namespace', '', [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }], {
    now,
    resourceVersion: '42',
    continue: 'tok',
    remainingItemCount: 7,
  });
  assert.equal(table.kind, 'Table');
  assert.equal(table.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(table.metadata, { resourceVersion: '42', continue: 'tok', remainingItemCount: 7 });
  assert.deepEqual(table.rows[0].object, {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { name: 'a' },
  });
  assert.deepEqual(table.rows[0].cells, ['a', '', '<unknown>']);
});

test('envelope: v1beta1, includeObject None and Object, noHeaders', () => {
  const none = toTable('Widget', 'example.com', [widget], {
    version: 'v1beta1',
    includeObject: 'None',
    printerColumns: [],
  });
  assert.equal(none.apiVersion, 'meta.k8s.io/v1beta1');
  assert.equal('object' in none.rows[0], false);
  const full = toTable('Widget', 'example.com', [widget], {
    includeObject: 'Object',
    printerColumns: [],
    noHeaders: true,
  });
  assert.equal(full.rows[0].object, widget);
  assert.deepEqual(full.columnDefinitions, []);
  const meta = toTable('Widget', 'example.com', [widget], { version: 'v1beta1', printerColumns: [] });
  assert.equal(meta.rows[0].object?.apiVersion, 'meta.k8s.io/v1beta1');
  assert.deepEqual(JSON.parse(JSON.stringify(meta)).metadata, {});
});

test('custom resource without printer columns: Name, Age', () => {
  const table = toTable('Widget', 'example.com', [widget], { now, printerColumns: [] });
  assert.deepEqual(
    table.columnDefinitions.map((c) => [c.name, c.type, c.format]),
    [
      ['Name', 'string', 'name'],
      ['Age', 'date', ''],
    ],
  );
  assert.deepEqual(table.rows[0].cells, ['w1', '10s']);
});

test('custom resource printer columns: types, priorities, filters, missing values', () => {
  const columns: CrdPrinterColumn[] = [
    { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
    { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio', priority: 1 },
    { name: 'Enabled', type: 'boolean', jsonPath: '.spec.enabled' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', description: 'ready?' },
    { name: 'Since', type: 'date', jsonPath: ".status.conditions[?(@.type=='Ready')].lastTransitionTime" },
    { name: 'Tags', type: 'string', jsonPath: '.spec.tags' },
    { name: 'First', type: 'string', jsonPath: '.spec.tags[0]' },
    { name: 'Owner', type: 'string', jsonPath: '.spec.owner' },
    { name: 'Dotted', type: 'string', jsonPath: ".spec['dotted.key']" },
    { name: 'Missing', type: 'string', jsonPath: '.spec.nothing.here' },
    { name: 'SizeText', type: 'string', jsonPath: '.spec.size' },
    { name: 'WrongType', type: 'integer', jsonPath: '.spec.tags[1]' },
  ];
  const table = toTable('Widget', 'example.com', [widget], { now, printerColumns: columns });
  assert.deepEqual(table.rows[0].cells, [
    'w1',
    3,
    0.5,
    true,
    'True',
    '60m',
    '["x","y"]',
    'x',
    '{"team":"core"}',
    'd',
    null,
    '3',
    null,
  ]);
  assert.equal(table.columnDefinitions[2].priority, 1);
  assert.equal(table.columnDefinitions[4].description, 'ready?');
  assert.equal(
    table.columnDefinitions[1].description,
    'Custom resource definition column (in JSONPath format): .spec.size',
  );
});

test('jsonpath: wildcard, braces and bad syntax', () => {
  assert.deepEqual(evaluate(parseJsonPath('{.status.conditions[*].type}'), widget), ['Synced', 'Ready']);
  assert.deepEqual(evaluate(parseJsonPath('.spec.tags[-1]'), widget), ['y']);
  assert.deepEqual(evaluate(parseJsonPath('.status.conditions[?(@.status!="True")].type'), widget), ['Synced']);
  assert.throws(() => parseJsonPath('.spec[?(foo)]'), /unsupported JSONPath filter/);
  assert.throws(() => parseJsonPath('spec'), /bad JSONPath/);
});
