// WatchHub's filing by prefix: every watch gets exactly the changes under its prefix, whether its prefix is a whole
// resource, a namespace within one, shorter than a resource, or not ending at a segment.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WatchEvent } from './types.js';
import { WatchHub } from './watch-hub.js';

test('a change reaches exactly the watches whose prefix it starts with', () => {
  const hub = new WatchHub(() => []);
  const prefixes = [
    '',
    '/',
    '/registry/',
    '/registry/core/',
    '/registry/core/pods/',
    '/registry/core/pods/ns1/',
    '/registry/core/pods',
    '/registry/core/podsx/',
    '/eks/clusters/',
  ];
  const got = new Map<string, string[]>(prefixes.map((p) => [p, []]));
  const watches = prefixes.map((p) => hub.subscribe(p, 0, (e) => got.get(p)!.push(e.kv.key)));
  const keys = [
    '/registry/core/pods/ns1/a',
    '/registry/core/pods/ns2/b',
    '/registry/core/podsx/c',
    '/registry/core/events/ns1/d',
    '/registry/apps/deployments/ns1/e',
    '/eks/clusters/one',
    '/other',
  ];
  keys.forEach((key, i) => {
    const event: WatchEvent = { type: 'create', kv: { key, value: 'v', createRevision: i + 1, modRevision: i + 1 } };
    hub.publish(event);
  });
  for (const prefix of prefixes) {
    assert.deepEqual(
      got.get(prefix),
      keys.filter((k) => k.startsWith(prefix)),
      `watch on ${JSON.stringify(prefix)}`,
    );
  }
  assert.equal(hub.size, prefixes.length);
  watches[4].close();
  assert.equal(hub.size, prefixes.length - 1);
  hub.closeAll();
  assert.equal(hub.size, 0);
});
