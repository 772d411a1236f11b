import assert from 'node:assert/strict';
import { it } from 'node:test';
import { staleFlows, type UdpEndpoints } from './stale-udp.js';

const map = (entries: Record<string, string[]>): UdpEndpoints =>
  new Map(Object.entries(entries).map(([k, v]) => [k, new Set(v)]));

it('clears the flows of a UDP endpoint that left, and of a service port that got its first endpoints', () => {
  const cases: [string, UdpEndpoints, UdpEndpoints, string[][]][] = [
    ['unchanged', map({ '10.100.0.10:53': ['10.0.1.5'] }), map({ '10.100.0.10:53': ['10.0.1.5'] }), []],
    [
      'an endpoint left',
      map({ '10.100.0.10:53': ['10.0.1.5', '10.0.1.6'] }),
      map({ '10.100.0.10:53': ['10.0.1.5'] }),
      [['--orig-dst', '10.100.0.10', '--orig-port-dst', '53', '--dst-nat', '10.0.1.6']],
    ],
    [
      'first endpoints',
      map({ '10.100.0.10:53': [] }),
      map({ '10.100.0.10:53': ['10.0.1.5'] }),
      [['--orig-dst', '10.100.0.10', '--orig-port-dst', '53']],
    ],
    [
      'a new service with endpoints',
      map({}),
      map({ '10.100.0.10:53': ['10.0.1.5'] }),
      [['--orig-dst', '10.100.0.10', '--orig-port-dst', '53']],
    ],
    [
      'a service gone',
      map({ '10.100.0.10:53': ['10.0.1.5'] }),
      map({}),
      [['--orig-dst', '10.100.0.10', '--orig-port-dst', '53', '--dst-nat', '10.0.1.5']],
    ],
  ];
  for (const [name, old, now, want] of cases) assert.deepEqual(staleFlows(old, now), want, name);
});
