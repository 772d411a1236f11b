// Target health as an ELB target group keeps it: each registered target is checked every `intervalSeconds` (HTTP GET
// of the health-check path expecting the matcher's codes, or a TCP connect), turns unhealthy after
// `unhealthyThreshold` failures in a row and healthy again after `healthyThreshold` successes. Traffic goes to the
// healthy targets; when none is healthy but some are unhealthy, to all of those (ELB fails open). A newly registered
// target is checked at once and takes traffic after its first passing check (ELB waits for the healthy threshold;
// Skiff does not make a new pod wait longer than its first answer).
import { request } from 'node:http';
import { connect } from 'node:net';
import type { HealthCheck, Target, TargetGroup } from './model.js';

export type TargetState = 'initial' | 'healthy' | 'unhealthy';

export type Probe = (target: Target, check: HealthCheck) => Promise<boolean>;

interface Entry {
  group: string;
  target: Target;
  check: HealthCheck;
  checkKey: string;
  state: TargetState;
  successes: number;
  failures: number;
  timer?: NodeJS.Timeout;
  running: boolean;
}

/** Whether an HTTP status passes a matcher such as `200`, `200-399` or `200,302`. */
export function matches(matcher: string, status: number): boolean {
  return matcher.split(',').some((part) => {
    const [low, high] = part.trim().split('-').map(Number);
    return high === undefined ? status === low : status >= low! && status <= high;
  });
}

const checkPort = (target: Target, check: HealthCheck) => (check.port === 'traffic-port' ? target.port : check.port);

export const probeTarget: Probe = (target, check) =>
  new Promise((resolve) => {
    const timeout = check.timeoutSeconds * 1000;
    if (check.protocol === 'TCP') {
      const socket = connect({ host: target.ip, port: checkPort(target, check), timeout });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
      socket.once('timeout', () => done(false));
      return;
    }
    const req = request(
      {
        host: target.ip,
        port: checkPort(target, check),
        path: check.path,
        agent: false,
        timeout,
        headers: { 'user-agent': 'ELB-HealthChecker/2.0', connection: 'close' },
      },
      (res) => {
        res.resume();
        resolve(matches(check.matcher, res.statusCode ?? 0));
      },
    );
    req.once('error', () => resolve(false));
    req.once('timeout', () => req.destroy());
    req.end();
  });

export class TargetHealth {
  private readonly entries = new Map<string, Entry>();
  private readonly usableCache = new Map<string, Target[]>();
  private stopped = false;

  constructor(private readonly probe: Probe = probeTarget) {}

  /** Registers exactly these target groups' targets: new ones are checked at once, gone ones deregistered. */
  update(groups: Iterable<TargetGroup>): void {
    const wanted = new Set<string>();
    for (const group of groups) {
      const checkKey = JSON.stringify(group.healthCheck);
      for (const target of group.targets) {
        const key = `${group.id}|${target.ip}:${target.port}`;
        wanted.add(key);
        const entry = this.entries.get(key);
        if (entry && entry.checkKey === checkKey) continue;
        if (entry) clearTimeout(entry.timer);
        const fresh: Entry = {
          group: group.id,
          target,
          check: group.healthCheck,
          checkKey,
          state: entry?.state ?? 'initial',
          successes: 0,
          failures: 0,
          running: false,
        };
        this.entries.set(key, fresh);
        this.usableCache.delete(group.id);
        void this.run(key, fresh);
      }
    }
    for (const [key, entry] of this.entries) {
      if (wanted.has(key)) continue;
      clearTimeout(entry.timer);
      this.entries.delete(key);
      this.usableCache.delete(entry.group);
    }
  }

  state(groupId: string, target: Target): TargetState | undefined {
    return this.entries.get(`${groupId}|${target.ip}:${target.port}`)?.state;
  }

  /** The targets that take traffic now. */
  usable(groupId: string): Target[] {
    const cached = this.usableCache.get(groupId);
    if (cached) return cached;
    const entries = [...this.entries.values()].filter((e) => e.group === groupId);
    const healthy = entries.filter((e) => e.state === 'healthy');
    const chosen = (healthy.length ? healthy : entries.filter((e) => e.state === 'unhealthy')).map((e) => e.target);
    this.usableCache.set(groupId, chosen);
    return chosen;
  }

  stop(): void {
    this.stopped = true;
    for (const entry of this.entries.values()) clearTimeout(entry.timer);
    this.entries.clear();
    this.usableCache.clear();
  }

  private async run(key: string, entry: Entry): Promise<void> {
    if (this.stopped || this.entries.get(key) !== entry || entry.running) return;
    entry.running = true;
    const ok = await this.probe(entry.target, entry.check).catch(() => false);
    entry.running = false;
    if (this.stopped || this.entries.get(key) !== entry) return;
    const before = entry.state;
    if (ok) {
      entry.failures = 0;
      entry.successes++;
      if (entry.state === 'initial' || entry.successes >= entry.check.healthyThreshold) entry.state = 'healthy';
    } else {
      entry.successes = 0;
      entry.failures++;
      if (entry.failures >= entry.check.unhealthyThreshold) entry.state = 'unhealthy';
    }
    if (entry.state !== before) this.usableCache.delete(entry.group);
    entry.timer = setTimeout(() => void this.run(key, entry), entry.check.intervalSeconds * 1000);
    entry.timer.unref?.();
  }
}
