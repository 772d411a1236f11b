// One server block's pipeline on wire-format queries: hosts without fallthrough answering NXDOMAIN for what it
// lacks, SERVFAIL from the kubernetes zones until the watches have listed, a UDP answer too big for 512 bytes
// going back empty with TC set, and no next plugin being a SERVFAIL logged by the errors plugin.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { ClusterView } from './cluster-view.js';
import { parseCorefile } from './corefile.js';
import { BlockHandler } from './handler.js';
import { Metrics } from './metrics.js';

const query = (name: string, type = 'A') =>
  dnsPacket.encode({
    type: 'query',
    id: 9,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as any }],
  });

function handler(corefile: string, options: { synced?: boolean; view?: ClusterView; log?: string[] } = {}) {
  const [block] = parseCorefile(corefile);
  return new BlockHandler(block!, {
    view: options.view ?? new ClusterView(),
    upstreams: [],
    metrics: new Metrics('dns://:53'),
    log: (line) => options.log?.push(line),
    synced: () => options.synced ?? true,
  });
}

describe('BlockHandler', () => {
  it('lets hosts without fallthrough answer NXDOMAIN for names it does not list', async () => {
    const h = handler('.:53 {\n hosts {\n  10.1.1.1 a.test\n }\n kubernetes cluster.local\n}');
    const known = dnsPacket.decode((await h.handle(query('a.test'), 'udp'))!);
    assert.deepEqual(
      known.answers!.map((a: any) => a.data),
      ['10.1.1.1'],
    );
    const other = dnsPacket.decode((await h.handle(query('web.default.svc.cluster.local'), 'udp'))!) as any;
    assert.equal(other.rcode, 'NXDOMAIN');
  });

  it('answers SERVFAIL for cluster names until the kubernetes plugin has synced', async () => {
    const h = handler('.:53 {\n kubernetes cluster.local\n}', { synced: false });
    const reply = dnsPacket.decode((await h.handle(query('web.default.svc.cluster.local'), 'udp'))!) as any;
    assert.equal(reply.rcode, 'SERVFAIL');
  });

  it('sends a UDP answer bigger than 512 bytes back empty with TC, and whole over TCP', async () => {
    const view = new ClusterView();
    view.setService({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: 'default', name: 'big' },
      spec: { clusterIP: 'None' },
    });
    view.setSlice({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { namespace: 'default', name: 'big-1', labels: { 'kubernetes.io/service-name': 'big' } },
      endpoints: Array.from({ length: 60 }, (_, i) => ({ addresses: [`10.0.1.${i + 1}`] })),
    });
    const h = handler('.:53 {\n kubernetes cluster.local\n}', { view });
    const udp = dnsPacket.decode((await h.handle(query('big.default.svc.cluster.local'), 'udp'))!);
    assert.ok((udp.flags ?? 0) & dnsPacket.TRUNCATED_RESPONSE);
    assert.equal(udp.answers!.length, 0);
    const tcp = dnsPacket.decode((await h.handle(query('big.default.svc.cluster.local'), 'tcp'))!);
    assert.equal(tcp.answers!.length, 60);
  });

  it('answers SERVFAIL, logged by errors, when no plugin takes the name', async () => {
    const log: string[] = [];
    const h = handler('.:53 {\n errors\n kubernetes cluster.local\n}', { log });
    const reply = dnsPacket.decode((await h.handle(query('example.org'), 'udp'))!) as any;
    assert.equal(reply.rcode, 'SERVFAIL');
    assert.deepEqual(log, ['[ERROR] plugin/errors: 2 example.org. A: plugin/forward: no next plugin found']);
  });
});
