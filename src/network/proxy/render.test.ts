import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import { chainName } from './chains.js';
import { type ProxyInput, renderRules } from './render.js';
import { proxyInput as input } from './testing.js';

const service = (name: string, spec: any): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { type: 'ClusterIP', ...spec },
});
const slice = (name: string, ports: any[], endpoints: any[]): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${name}-abcde`, namespace: 'default', labels: { 'kubernetes.io/service-name': name } },
  addressType: 'IPv4',
  ports,
  endpoints,
});
const ep = (ip: string, nodeName: string, ready?: boolean) => ({
  addresses: [ip],
  nodeName,
  conditions: ready === undefined ? {} : { ready },
});

const natOf = (rules: string) => rules.slice(rules.indexOf('*nat'));
const filterOf = (rules: string) => rules.slice(0, rules.indexOf('*nat'));

const web = (spec: any = {}) =>
  service('web', { clusterIP: '10.100.7.7', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...spec });
const webSlice = (...endpoints: any[]) => slice('web', [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints);
const svcChain = chainName('KUBE-SVC', 'default/web:http', 'tcp');

interface Case {
  name: string;
  input: ProxyInput;
  nat?: (string | RegExp)[];
  filter?: (string | RegExp)[];
  notNat?: (string | RegExp)[];
}

const has = (text: string, want: string | RegExp) => (typeof want === 'string' ? text.includes(want) : want.test(text));

const cases: Case[] = [
  {
    name: 'a ClusterIP port jumps to its service chain, which spreads over each ready endpoint',
    input: input({ services: [web()], slices: [webSlice(ep('10.0.1.5', 'n1', true), ep('10.0.2.6', 'n2'))] }),
    nat: [
      `-A KUBE-SERVICES -d 10.100.7.7/32 -p tcp -m tcp --dport 80 -m comment --comment "default/web:http cluster IP" -j ${svcChain}`,
      /-m statistic --mode random --probability 0\.5000000000 -j KUBE-SEP-\w+\n.*-> 10\.0\.2\.6:8080" -j KUBE-SEP/,
      '-j DNAT --to-destination 10.0.1.5:8080',
      '-j DNAT --to-destination 10.0.2.6:8080',
      `-A ${svcChain} ! -s 10.0.0.0/16 -d 10.100.7.7/32 -p tcp -m tcp --dport 80 -j KUBE-MARK-MASQ`,
    ],
    filter: [/^(?!.*10\.100\.7\.7).*COMMIT/s],
  },
  {
    name: 'three endpoints: 1/3, then 1/2, then the rest',
    input: input({
      services: [web()],
      slices: [webSlice(ep('10.0.1.5', 'n1'), ep('10.0.1.6', 'n1'), ep('10.0.1.7', 'n1'))],
    }),
    nat: [
      /probability 0\.3333333333 -j KUBE-SEP-\w+\n.*probability 0\.5000000000 -j KUBE-SEP-\w+\n.*7:8080" -j KUBE-SEP/,
    ],
  },
  {
    name: 'an endpoint that is not ready gets no traffic',
    input: input({ services: [web()], slices: [webSlice(ep('10.0.1.5', 'n1', true), ep('10.0.2.6', 'n2', false))] }),
    nat: ['10.0.1.5:8080'],
    notNat: ['10.0.2.6', 'statistic'],
  },
  {
    name: 'no ready endpoint: those serving while they terminate take the traffic, others not',
    input: input({
      services: [web()],
      slices: [
        webSlice(
          { addresses: ['10.0.1.5'], nodeName: 'n1', conditions: { ready: false, serving: true, terminating: true } },
          { addresses: ['10.0.2.6'], nodeName: 'n2', conditions: { ready: false, serving: false, terminating: true } },
        ),
      ],
    }),
    nat: ['-j DNAT --to-destination 10.0.1.5:8080'],
    notNat: ['10.0.2.6'],
  },
  {
    name: 'a terminating endpoint gets nothing while another is ready',
    input: input({
      services: [web()],
      slices: [
        webSlice(
          { addresses: ['10.0.1.5'], nodeName: 'n1', conditions: { ready: false, serving: true, terminating: true } },
          ep('10.0.2.6', 'n2', true),
        ),
      ],
    }),
    nat: ['-j DNAT --to-destination 10.0.2.6:8080'],
    notNat: ['10.0.1.5'],
  },
  {
    name: 'no ready endpoints: REJECT in filter, nothing in nat',
    input: input({ services: [web()], slices: [webSlice(ep('10.0.2.6', 'n2', false))] }),
    filter: [
      '-A KUBE-SERVICES -d 10.100.7.7/32 -p tcp -m tcp --dport 80 -m comment --comment "default/web:http has no endpoints" -j REJECT --reject-with icmp-port-unreachable',
    ],
    notNat: ['10.100.7.7'],
  },
  {
    name: 'UDP ports and several ports, each by the slice port of its name (a named targetPort resolved per pod)',
    input: input({
      services: [
        web({
          ports: [
            { name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' },
            { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' },
          ],
        }),
      ],
      slices: [
        slice(
          'web',
          [
            { name: 'http', port: 8080, protocol: 'TCP' },
            { name: 'dns', port: 5353, protocol: 'UDP' },
          ],
          [ep('10.0.1.5', 'n1')],
        ),
        slice(
          'web',
          [
            { name: 'http', port: 9090, protocol: 'TCP' },
            { name: 'dns', port: 5300, protocol: 'UDP' },
          ],
          [ep('10.0.2.6', 'n2')],
        ),
      ],
    }),
    nat: [
      '-d 10.100.7.7/32 -p udp -m udp --dport 53 -m comment --comment "default/web:dns cluster IP"',
      '-p udp -m udp -j DNAT --to-destination 10.0.1.5:5353',
      '-p udp -m udp -j DNAT --to-destination 10.0.2.6:5300',
      '-p tcp -m tcp -j DNAT --to-destination 10.0.1.5:8080',
      '-p tcp -m tcp -j DNAT --to-destination 10.0.2.6:9090',
    ],
  },
  {
    name: 'hairpin: an endpoint reaching itself through the Service is masqueraded',
    input: input({ services: [web()], slices: [webSlice(ep('10.0.1.5', 'n1'))] }),
    nat: [/-A (KUBE-SEP-\w+) -m comment --comment "default\/web:http" -s 10\.0\.1\.5\/32 -j KUBE-MARK-MASQ/],
  },
  {
    name: 'sessionAffinity ClientIP: recent checks before the spread, recent set on DNAT',
    input: input({
      services: [web({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })],
      slices: [webSlice(ep('10.0.1.5', 'n1'), ep('10.0.2.6', 'n2'))],
    }),
    nat: [
      /-m recent --name (KUBE-SEP-\w+) --mask 255\.255\.255\.255 --rsource --rcheck --seconds 60 --reap -j \1/,
      /-m recent --name (KUBE-SEP-\w+) --mask 255\.255\.255\.255 --rsource --set -m tcp -j DNAT --to-destination 10\.0\.1\.5:8080/,
    ],
  },
  {
    name: 'internalTrafficPolicy Local: each client pod only to endpoints on its node; the others dropped',
    input: input({
      services: [web({ internalTrafficPolicy: 'Local' })],
      slices: [webSlice(ep('10.0.1.5', 'n1'), ep('10.0.2.6', 'n2'))],
      pods: [
        { ip: '10.0.1.9', nodeName: 'n1' },
        { ip: '10.0.3.9', nodeName: 'n3' },
      ],
    }),
    nat: [
      `-A ${chainName('KUBE-ITP', 'default/web:http', 'tcp')} -s 10.0.1.9/32 -j ${chainName('KUBE-SVL', 'default/web:http', 'tcp', 'n1')}`,
      /KUBE-SVL-\w+ -m comment --comment "default\/web:http -> 10\.0\.1\.5:8080" -j KUBE-SEP/,
    ],
    notNat: ['10.0.3.9', '10.0.2.6', 'statistic'],
    filter: ['--comment "default/web:http has no local endpoints" -j DROP'],
  },
  {
    name: 'NodePort on each node-group node IP, masqueraded, to the cluster-wide chain',
    input: input({
      services: [web({ type: 'NodePort', ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }] })],
      slices: [webSlice(ep('10.0.1.5', 'n1'))],
      nodes: [{ name: 'n1', ip: '10.0.1.4' }],
    }),
    nat: [
      '-A KUBE-NODEPORTS -d 10.0.1.4/32 -p tcp -m tcp --dport 30080 -m comment --comment "default/web:http nodePort" -j KUBE-MARK-MASQ',
      `-A KUBE-NODEPORTS -d 10.0.1.4/32 -p tcp -m tcp --dport 30080 -m comment --comment "default/web:http nodePort" -j ${svcChain}`,
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports" -j KUBE-NODEPORTS\nCOMMIT',
    ],
  },
  {
    name: 'externalTrafficPolicy Local: a NodePort to that node’s endpoints only, unmasqueraded, else dropped',
    input: input({
      services: [
        web({
          type: 'NodePort',
          externalTrafficPolicy: 'Local',
          ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }],
        }),
      ],
      slices: [webSlice(ep('10.0.1.5', 'n1'))],
      nodes: [
        { name: 'n1', ip: '10.0.1.4' },
        { name: 'n2', ip: '10.0.2.4' },
      ],
    }),
    nat: [
      `-A KUBE-NODEPORTS -d 10.0.1.4/32 -p tcp -m tcp --dport 30080 -m comment --comment "default/web:http nodePort" -j ${chainName('KUBE-SVL', 'default/web:http', 'tcp', 'n1')}`,
    ],
    notNat: ['10.0.2.4', /KUBE-NODEPORTS.*KUBE-MARK-MASQ/],
    filter: [
      '-d 10.0.2.4/32 -p tcp -m tcp --dport 30080 -m comment --comment "default/web:http nodePort has no local endpoints" -j DROP',
    ],
  },
  {
    name: 'externalIPs go to every endpoint, masqueraded',
    input: input({ services: [web({ externalIPs: ['192.0.2.10'] })], slices: [webSlice(ep('10.0.1.5', 'n1'))] }),
    nat: [
      '-A KUBE-SERVICES -d 192.0.2.10/32 -p tcp -m tcp --dport 80 -m comment --comment "default/web:http external IP" -j KUBE-MARK-MASQ',
      `-A KUBE-SERVICES -d 192.0.2.10/32 -p tcp -m tcp --dport 80 -m comment --comment "default/web:http external IP" -j ${svcChain}`,
    ],
  },
  {
    name: 'headless and ExternalName Services get no rules',
    input: input({
      services: [
        service('headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
        service('ext', { type: 'ExternalName', externalName: 'example.com' }),
      ],
      slices: [slice('headless', [{ port: 80, protocol: 'TCP' }], [ep('10.0.1.5', 'n1')])],
    }),
    notNat: ['headless', 'ext', '10.0.1.5'],
    filter: [/^(?!.*(headless|ext)).*$/s],
  },
  {
    name: 'the host link: replies, NodePorts and the host itself come in; nothing else from outside the VPC',
    input: input({ hostLink: { device: 'uplink0', cidr: '169.254.9.0/30' } }),
    filter: [
      '-A FORWARD -i uplink0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n' +
        '-A FORWARD -i uplink0 -m conntrack --ctstate DNAT --ctorigdst 10.0.0.0/16 -m comment --comment "NodePorts" -j ACCEPT\n' +
        '-A FORWARD -i uplink0 -s 169.254.9.0/30 -m comment --comment "this host" -j ACCEPT\n' +
        '-A FORWARD -i uplink0 -m comment --comment "private subnets: nothing else from outside the VPC" -j DROP\n',
    ],
  },
  {
    name: 'an unnamed port is named by the Service alone',
    input: input({
      services: [service('plain', { clusterIP: '10.100.0.9', ports: [{ port: 80, protocol: 'TCP' }] })],
      slices: [slice('plain', [{ port: 80, protocol: 'TCP' }], [ep('10.0.1.5', 'n1')])],
    }),
    nat: ['--comment "default/plain cluster IP"', '-j DNAT --to-destination 10.0.1.5:80'],
  },
];

describe('renderRules', () => {
  for (const c of cases) {
    it(c.name, () => {
      const rules = renderRules(c.input);
      for (const want of c.nat ?? []) assert.ok(has(natOf(rules), want), `nat lacks ${want}\n${natOf(rules)}`);
      for (const not of c.notNat ?? []) assert.ok(!has(natOf(rules), not), `nat has ${not}\n${natOf(rules)}`);
      for (const want of c.filter ?? []) assert.ok(has(filterOf(rules), want), `filter lacks ${want}\n${rules}`);
    });
  }

  it('is the same text for the same input, whatever the order of Services and slices', () => {
    const a = input({
      services: [web(), service('other', { clusterIP: '10.100.0.9', ports: [{ port: 81, protocol: 'TCP' }] })],
      slices: [webSlice(ep('10.0.2.6', 'n2'), ep('10.0.1.5', 'n1'))],
    });
    const b = {
      ...a,
      services: [...a.services].reverse(),
      slices: [webSlice(ep('10.0.1.5', 'n1'), ep('10.0.2.6', 'n2'))],
    };
    assert.equal(renderRules(a), renderRules(b));
  });

  it('names chains within iptables’ 28 characters', () => {
    const rules = renderRules(input({ services: [web()], slices: [webSlice(ep('10.0.1.5', 'n1'))] }));
    for (const [, chain] of rules.matchAll(/^:(\S+)/gm)) assert.ok(chain!.length <= 28, chain);
  });
});

describe('other clusters in the VPC', () => {
  // The second cluster has a Service of the same name and ClusterIP (its Service CIDR may be the first's).
  const second = input({
    services: [web()],
    slices: [webSlice(ep('10.0.3.7', 'fargate-ip-10-0-3-7', true))],
    pods: [{ ip: '10.0.3.8', nodeName: 'fargate-ip-10-0-3-8' }],
  });
  const first = input({ services: [web()], slices: [webSlice(ep('10.0.1.5', 'n1', true))] });
  const rules = renderRules(first, [{ name: 'second', input: second }]);
  const theirs = chainName('KUBE-CSVCS', 'second');

  it("sends each of their pods to their own chains by source address, everything else to the first cluster's", () => {
    assert.ok(natOf(rules).includes(`-A KUBE-CLUSTERS -s 10.0.3.8/32 -g ${theirs}\n-A KUBE-CLUSTERS -j KUBE-SERVICES`));
    assert.ok(filterOf(rules).includes(`-A KUBE-CLUSTERS -s 10.0.3.8/32 -g ${theirs}`));
    assert.ok(
      natOf(rules).includes('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-CLUSTERS'),
    );
    assert.ok(
      filterOf(rules).includes('--ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-CLUSTERS'),
    );
  });

  it('gives the same Service in each cluster its own chains and endpoints', () => {
    const ours = chainName('KUBE-SVC', 'default/web:http', 'tcp');
    const their = chainName('KUBE-SVC', 'second/default/web:http', 'tcp');
    assert.notEqual(ours, their);
    const nat = natOf(rules);
    assert.ok(
      nat.includes(
        `-A KUBE-SERVICES -d 10.100.7.7/32 -p tcp -m tcp --dport 80 -m comment --comment "default/web:http cluster IP" -j ${ours}`,
      ),
    );
    assert.ok(
      nat.includes(
        `-A ${theirs} -d 10.100.7.7/32 -p tcp -m tcp --dport 80 -m comment --comment "default/web:http cluster IP" -j ${their}`,
      ),
    );
    assert.ok(nat.includes('-j DNAT --to-destination 10.0.1.5:8080'));
    assert.ok(nat.includes('-j DNAT --to-destination 10.0.3.7:8080'));
    assert.ok(
      nat.includes(
        `-A ${theirs} -m comment --comment "kubernetes service nodeports" -j ${chainName('KUBE-CNPS', 'second')}`,
      ),
    );
  });

  it("rejects in a cluster's own filter chain what has no endpoints there", () => {
    const empty = renderRules(first, [{ name: 'second', input: input({ services: [web()] }) }]);
    assert.ok(
      filterOf(empty).includes(
        `-A ${theirs} -d 10.100.7.7/32 -p tcp -m tcp --dport 80 -m comment --comment "default/web:http has no endpoints" -j REJECT`,
      ),
    );
  });

  it('names their chains within iptables’ 28 characters too', () => {
    for (const [, chain] of rules.matchAll(/^:(\S+)/gm)) assert.ok(chain!.length <= 28, chain);
  });

  it("leaves a lone cluster's rules exactly as before", () => {
    assert.equal(renderRules(first, []), renderRules(first));
    assert.ok(!renderRules(first).includes('KUBE-CLUSTERS'));
  });
});
