// The prometheus plugin's counters, named as CoreDNS exports them: requests and responses by server, zone, proto,
// type and rcode, and the request duration histogram; rendered in the Prometheus text format.
const rcodeNames = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
const buckets = [
  0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192,
];

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly responses = new Map<string, number>();
  private readonly durations = new Map<string, { counts: number[]; sum: number; count: number }>();

  constructor(private readonly server: string) {}

  record(r: { zone: string; proto: string; type: string; rcode: number; seconds: number }): void {
    const base = `server="${this.server}",zone="${r.zone}"`;
    const inc = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
    inc(this.requests, `${base},proto="${r.proto}",family="1",type="${r.type}"`);
    inc(this.responses, `${base},rcode="${rcodeNames[r.rcode] ?? r.rcode}",plugin=""`);
    const key = `${base},type="${r.type}"`;
    const d = this.durations.get(key) ?? { counts: buckets.map(() => 0), sum: 0, count: 0 };
    buckets.forEach((b, i) => {
      if (r.seconds <= b) d.counts[i]!++;
    });
    d.sum += r.seconds;
    d.count++;
    this.durations.set(key, d);
  }

  render(version: string): string {
    const lines = [
      "# HELP coredns_build_info A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.",
      '# TYPE coredns_build_info gauge',
      `coredns_build_info{goversion="${process.version}",revision="skiff",version="${version}"} 1`,
      '# HELP coredns_dns_requests_total Counter of DNS requests made per zone, protocol and family.',
      '# TYPE coredns_dns_requests_total counter',
      ...[...this.requests].map(([k, v]) => `coredns_dns_requests_total{${k}} ${v}`),
      '# HELP coredns_dns_responses_total Counter of response status codes.',
      '# TYPE coredns_dns_responses_total counter',
      ...[...this.responses].map(([k, v]) => `coredns_dns_responses_total{${k}} ${v}`),
      '# HELP coredns_dns_request_duration_seconds Histogram of the time (in seconds) each request took per zone.',
      '# TYPE coredns_dns_request_duration_seconds histogram',
    ];
    for (const [k, d] of this.durations) {
      for (const [i, b] of buckets.entries())
        lines.push(`coredns_dns_request_duration_seconds_bucket{${k},le="${b}"} ${d.counts[i]}`);
      lines.push(`coredns_dns_request_duration_seconds_bucket{${k},le="+Inf"} ${d.count}`);
      lines.push(`coredns_dns_request_duration_seconds_sum{${k}} ${d.sum}`);
      lines.push(`coredns_dns_request_duration_seconds_count{${k}} ${d.count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
