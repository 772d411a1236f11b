// The Indexer: an index is built over what is cached when first asked for, kept in step with every change after,
// and costs nothing while nobody asks for it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../kube/api/types.js';
import { Indexer } from './indexer.js';

const pod = (name: string, node?: string, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: node ? { nodeName: node } : {},
});

test('an index is built when first asked for, over what is cached, then kept up to date', () => {
  const cache = new Indexer();
  cache.set('default/a', pod('a', 'n1', { app: 'web' }));
  cache.set('default/b', pod('b', 'n2', { app: 'web' }));
  assert.deepEqual([...cache.keysFor('nodeName', 'n1')], ['default/a']);
  assert.deepEqual([...cache.keysFor('label', 'app=web')].sort(), ['default/a', 'default/b']);
  cache.set('default/a', pod('a', 'n2', { app: 'db' }));
  assert.deepEqual([...cache.keysFor('nodeName', 'n1')], []);
  assert.deepEqual([...cache.keysFor('nodeName', 'n2')].sort(), ['default/a', 'default/b']);
  assert.deepEqual([...cache.keysFor('label', 'app=web')], ['default/b']);
  cache.delete('default/b');
  assert.deepEqual([...cache.keysFor('nodeName', 'n2')], ['default/a']);
  assert.deepEqual(
    [...cache.byIndex('namespace', 'default')].map((o) => o.metadata.name),
    ['a'],
  );
  assert.deepEqual([...cache.keysFor('no-such-index', 'x')], []);
});

test('an index nobody asks for is never computed', () => {
  const cache = new Indexer();
  let calls = 0;
  cache.addIndex('image', (object) => {
    calls++;
    return [object.spec?.containers?.[0]?.image ?? ''];
  });
  for (let i = 0; i < 10; i++) cache.set(`default/p${i}`, pod(`p${i}`));
  cache.set('default/p0', pod('p0', 'n1'));
  assert.equal(calls, 0);
  assert.equal(cache.keysFor('image', '').size, 10);
  assert.equal(calls, 10, 'built once, over the ten cached');
  cache.set('default/p1', pod('p1', 'n1'));
  assert.equal(calls, 12, 'then kept up to date: the old version out, the new one in');
});
