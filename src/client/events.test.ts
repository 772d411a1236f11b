// The event recorder's correlation: repeats counted into one Event, similar events combined, the per-object spam
// filter, against the kube API in process.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeObject } from '../kube/api/types.js';
import { inProcessClient } from '../kube/index.js';
import { startTestApi, type TestApi } from '../kube/testing/api.js';
import { combinedPrefix, EventCorrelator, recordEvent } from './events.js';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(() => api.close());

const object = (name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
});

async function eventsAbout(name: string): Promise<any[]> {
  const client = inProcessClient(api.ctx);
  const list = await client.list<any>({ apiVersion: 'v1', kind: 'Event', namespace: 'default' });
  return list.items.filter((e) => e.involvedObject.name === name);
}

it('counts a repeated event into the one written, with lastTimestamp', async () => {
  const client = inProcessClient(api.ctx);
  for (let i = 0; i < 5; i++) await recordEvent(client, 'test', object('same'), 'Warning', 'Failed', 'it broke');
  const events = await eventsAbout('same');
  assert.equal(events.length, 1);
  assert.equal(events[0].count, 5);
  assert.equal(events[0].message, 'it broke');
  assert.ok(events[0].lastTimestamp >= events[0].firstTimestamp);
});

it('combines more than 10 events that differ only by message, and drops what the spam filter refuses', async () => {
  const client = inProcessClient(api.ctx);
  for (let i = 0; i < 100; i++) await recordEvent(client, 'test', object('loop'), 'Warning', 'Failed', `attempt ${i}`);
  const events = await eventsAbout('loop');
  // 25 let through by the spam filter's burst: 9 distinct, then one combined event counting the other 16.
  assert.equal(events.length, 10);
  const combined = events.find((e) => e.message.startsWith(combinedPrefix));
  assert.equal(combined.count, 16);
  assert.equal(combined.message, `${combinedPrefix}attempt 24`);
});

it('refills the spam filter at one event every 5 minutes per object', () => {
  let now = 0;
  const correlator = new EventCorrelator(() => now);
  const draft = { component: 'c', object: object('x'), type: 'Normal' as const, reason: 'R', message: 'm' };
  for (let i = 0; i < 25; i++) assert.ok(correlator.correlate(draft));
  assert.equal(correlator.correlate(draft), undefined);
  now = 299_000;
  assert.equal(correlator.correlate(draft), undefined);
  now = 300_001;
  assert.ok(correlator.correlate(draft));
  assert.ok(correlator.correlate({ ...draft, object: object('other') }));
});
