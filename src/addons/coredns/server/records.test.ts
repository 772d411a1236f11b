// The kubernetes plugin's answers from Service and EndpointSlice objects: ClusterIP A, headless with one A per
// ready endpoint, StatefulSet hostnames, SRV for named ports, ExternalName CNAME, pods insecure, PTR for ClusterIPs
// and endpoint IPs, NXDOMAIN/NODATA with the SOA, and reverse names no one has falling through.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterView, type EndpointSliceObject, type ServiceObject } from './cluster-view.js';
import { KubernetesAnswerer } from './records.js';

const service = (ns: string, name: string, spec: ServiceObject['spec']): ServiceObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { namespace: ns, name },
  spec,
});
const slice = (
  ns: string,
  svc: string,
  endpoints: EndpointSliceObject['endpoints'],
  ports: EndpointSliceObject['ports'],
): EndpointSliceObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { namespace: ns, name: `${svc}-abcde`, labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  endpoints,
  ports,
});

function answerer() {
  const view = new ClusterView();
  view.setService(
    service('default', 'web', {
      clusterIP: '10.100.12.7',
      clusterIPs: ['10.100.12.7'],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'echo', port: 9000, protocol: 'UDP' }, { port: 81 }],
    }),
  );
  view.setSlice(
    slice(
      'default',
      'web',
      [{ addresses: ['10.0.130.7'], conditions: { ready: true } }],
      [{ name: 'http', port: 8080 }],
    ),
  );
  view.setService(service('default', 'db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }));
  view.setSlice(
    slice(
      'default',
      'db',
      [
        { addresses: ['10.0.1.10'], hostname: 'db-0', conditions: { ready: true } },
        { addresses: ['10.0.1.11'], hostname: 'db-1', conditions: { ready: true } },
        { addresses: ['10.0.1.12'], hostname: 'db-2', conditions: { ready: false } },
      ],
      [{ name: 'pg', port: 5432, protocol: 'TCP' }],
    ),
  );
  view.setService(service('default', 'empty', { clusterIP: 'None' }));
  view.setService(service('default', 'ext', { type: 'ExternalName', externalName: 'example.org' }));
  return new KubernetesAnswerer(
    {
      zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'],
      fallthrough: ['in-addr.arpa', 'ip6.arpa'],
      ttl: 5,
      pods: 'insecure',
    },
    view,
  );
}

const data = (reply: ReturnType<KubernetesAnswerer['answer']>) => reply?.answers.map((a) => a.data);

describe('KubernetesAnswerer', () => {
  const k = answerer();

  it('answers a ClusterIP Service with its address, any case, with or without the trailing dot', () => {
    const reply = k.answer('web.default.svc.cluster.local.', 'A')!;
    assert.equal(reply.rcode, 'NOERROR');
    assert.deepEqual(reply.answers, [
      { name: 'web.default.svc.cluster.local', type: 'A', ttl: 5, data: '10.100.12.7' },
    ]);
    assert.deepEqual(data(k.answer('WEB.Default.svc.cluster.local', 'A')), ['10.100.12.7']);
  });

  it('has no AAAA for an IPv4 Service: NODATA with the SOA', () => {
    const reply = k.answer('web.default.svc.cluster.local', 'AAAA')!;
    assert.equal(reply.rcode, 'NOERROR');
    assert.deepEqual(reply.answers, []);
    assert.equal(reply.authorities[0]!.type, 'SOA');
    assert.deepEqual((reply.authorities[0]!.data as any).mname, 'ns.dns.cluster.local');
  });

  it('answers a headless Service with one A per ready endpoint', () => {
    assert.deepEqual(data(k.answer('db.default.svc.cluster.local', 'A')), ['10.0.1.10', '10.0.1.11']);
  });

  it('answers a StatefulSet pod by <hostname>.<service>', () => {
    assert.deepEqual(data(k.answer('db-1.db.default.svc.cluster.local', 'A')), ['10.0.1.11']);
    assert.equal(k.answer('db-2.db.default.svc.cluster.local', 'A')!.rcode, 'NXDOMAIN');
    assert.deepEqual(data(k.answer('10-0-130-7.web.default.svc.cluster.local', 'A')), ['10.0.130.7']);
  });

  it('gives SRV records for named ports, with the targets in the additional section', () => {
    const reply = k.answer('_http._tcp.web.default.svc.cluster.local', 'SRV')!;
    assert.deepEqual(data(reply), [{ priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' }]);
    assert.deepEqual(data({ ...reply, answers: reply.additionals }), ['10.100.12.7']);
    assert.deepEqual(data(k.answer('_echo._udp.web.default.svc.cluster.local', 'SRV')), [
      { priority: 0, weight: 100, port: 9000, target: 'web.default.svc.cluster.local' },
    ]);
    assert.equal(k.answer('_echo._tcp.web.default.svc.cluster.local', 'SRV')!.rcode, 'NXDOMAIN');
    const headless = k.answer('_pg._tcp.db.default.svc.cluster.local', 'SRV')!;
    assert.deepEqual(
      headless.answers.map((a: any) => `${a.data.port} ${a.data.target}`),
      ['5432 db-0.db.default.svc.cluster.local', '5432 db-1.db.default.svc.cluster.local'],
    );
    assert.deepEqual(data(k.answer('web.default.svc.cluster.local', 'SRV'))?.length, 2);
  });

  it('answers an ExternalName Service with a CNAME', () => {
    assert.deepEqual(k.answer('ext.default.svc.cluster.local', 'A')!.answers, [
      { name: 'ext.default.svc.cluster.local', type: 'CNAME', ttl: 5, data: 'example.org' },
    ]);
  });

  it('answers NXDOMAIN with the SOA for names the cluster does not have', () => {
    for (const name of ['nope.default.svc.cluster.local', 'empty.default.svc.cluster.local', 'a.b.c.cluster.local']) {
      const reply = k.answer(name, 'A')!;
      assert.equal(reply.rcode, 'NXDOMAIN', name);
      assert.equal(reply.authorities[0]!.type, 'SOA');
    }
    assert.equal(k.answer('web.default.svc.cluster.local.default.svc.cluster.local', 'A')!.rcode, 'NXDOMAIN');
    assert.equal(k.answer('default.svc.cluster.local', 'A')!.rcode, 'NOERROR');
    assert.equal(k.answer('nowhere.svc.cluster.local', 'A')!.rcode, 'NXDOMAIN');
  });

  it('answers pods insecure: a-b-c-d.<ns>.pod', () => {
    assert.deepEqual(data(k.answer('10-0-9-9.default.pod.cluster.local', 'A')), ['10.0.9.9']);
  });

  it('answers PTR for ClusterIPs and endpoint IPs, and lets other reverse names fall through', () => {
    assert.deepEqual(data(k.answer('7.12.100.10.in-addr.arpa', 'PTR')), ['web.default.svc.cluster.local']);
    assert.deepEqual(data(k.answer('11.1.0.10.in-addr.arpa', 'PTR')), ['db-1.db.default.svc.cluster.local']);
    assert.equal(k.answer('1.1.1.1.in-addr.arpa', 'PTR'), undefined);
  });

  it('leaves names outside its zones to the next plugin', () => {
    assert.equal(k.answer('example.org', 'A'), undefined);
  });

  it('answers the zone apex SOA and NS, and dns-version', () => {
    assert.equal(k.answer('cluster.local', 'SOA')!.answers[0]!.type, 'SOA');
    assert.deepEqual(data(k.answer('dns-version.cluster.local', 'TXT')), [['1.1.0']]);
  });
});
