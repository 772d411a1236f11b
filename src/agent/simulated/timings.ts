// The simulated runtime's timings and behaviour as data: defaults here, overridden by a JSON or YAML file
// (loadSimulatedTimings), checked key by key so a typo is an error rather than silently ignored.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

export interface SimulatedTimings {
  /** Booting a pod's sandbox: a node-group pod's (pause container and CNI) and a Fargate pod's micro-VM. */
  sandboxBootMs: { nodegroup: number; fargate: number };
  /** Pull time by image reference or repository ("nginx:1.27", "nginx"), else "default". */
  imagePullMs: Record<string, number>;
  /** An imagePullPolicy Always pull of an image already cached: only the registry round-trip. */
  imageRecheckMs: number;
  /** Images that do not exist in any registry (their pulls fail with ErrImagePull), by reference or repository. */
  missingImages: string[];
  /** One image cache per host (a second pull says "already present"), or per node — Fargate always pulls. */
  imageCache: 'host' | 'node';
  containerCreateMs: number;
  containerStartMs: number;
  /** How long after initialDelaySeconds a readiness (or startup) probe first passes. */
  readinessDelayMs: number;
  /** How long a container whose PID 1 handles SIGTERM takes to exit after it. */
  terminationDelayMs: number;
  /** The exit code of such a container. */
  sigtermExitCode: number;
  /** Run time of one-liners that compute (perl -e, python -c; the Job example's bpi(2000)). */
  computeMs: number;
  /** Multiplies the run time of every command (sleep 60 at 0.1 lasts 6 s). */
  commandTimeScale: number;
  /** CrashLoopBackOff: the first wait and its cap (the kubelet's 10 s and 5 min). */
  backOffBaseMs: number;
  backOffMaxMs: number;
  /** Between a container's exit and the restart decision (the kubelet's next pod sync). */
  resyncMs: number;
  /** The command of images with no entrypoint, by repository (args replace it). */
  imageCommands: Record<string, string[]>;
  /** Usage of each running container unless the pod's skiff.io/simulated-cpu / -memory annotations say. */
  defaultUsage: { cpu: string; memory: string };
}

export const defaultSimulatedTimings: SimulatedTimings = {
  sandboxBootMs: { nodegroup: 300, fargate: 2000 },
  imagePullMs: { default: 1500 },
  imageRecheckMs: 400,
  missingImages: [],
  imageCache: 'host',
  containerCreateMs: 100,
  containerStartMs: 150,
  readinessDelayMs: 0,
  terminationDelayMs: 300,
  sigtermExitCode: 0,
  computeMs: 5000,
  commandTimeScale: 1,
  backOffBaseMs: 10_000,
  backOffMaxMs: 300_000,
  resyncMs: 1000,
  imageCommands: {
    busybox: ['sh'],
    alpine: ['/bin/sh'],
    ubuntu: ['/bin/bash'],
    debian: ['bash'],
    fedora: ['/bin/bash'],
    amazonlinux: ['/bin/bash'],
    perl: ['perl'],
    python: ['python3'],
    'hello-world': ['/hello'],
  },
  defaultUsage: { cpu: '1m', memory: '8Mi' },
};

export type SimulatedTimingsOverride = {
  [K in keyof SimulatedTimings]?: SimulatedTimings[K] extends Record<string, unknown>
    ? Partial<SimulatedTimings[K]>
    : SimulatedTimings[K];
};

const mergedKeys = ['sandboxBootMs', 'imagePullMs', 'imageCommands', 'defaultUsage'] as const;

/** Defaults with `override` on top; records merge key by key. Throws on unknown keys and wrong types. */
export function simulatedTimings(override: unknown = {}, source = 'simulated timings'): SimulatedTimings {
  if (override === null || override === undefined) return structuredClone(defaultSimulatedTimings);
  if (typeof override !== 'object' || Array.isArray(override)) throw new Error(`${source}: expected a mapping`);
  const result: any = structuredClone(defaultSimulatedTimings);
  for (const [key, value] of Object.entries(override)) {
    if (!(key in result)) {
      throw new Error(`${source}: unknown key "${key}" (known: ${Object.keys(result).join(', ')})`);
    }
    const expected = result[key];
    const fail = (what: string) => new Error(`${source}: ${key} must be ${what}`);
    if ((mergedKeys as readonly string[]).includes(key)) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('a mapping');
      for (const [inner, v] of Object.entries(value)) {
        const sample = expected[inner] ?? Object.values(expected)[0];
        if (Array.isArray(sample) ? !Array.isArray(v) : typeof v !== typeof sample) {
          throw fail(`a mapping of ${Array.isArray(sample) ? 'lists' : typeof sample}s (${inner})`);
        }
      }
      result[key] = { ...expected, ...value };
    } else if (Array.isArray(expected)) {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw fail('a list of strings');
      result[key] = value;
    } else if (key === 'imageCache') {
      if (value !== 'host' && value !== 'node') throw fail('"host" or "node"');
      result[key] = value;
    } else {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw fail('a number ≥ 0');
      result[key] = value;
    }
  }
  return result;
}

/** Reads timings from a JSON or YAML file; a missing file (or no path) gives the defaults. */
export function loadSimulatedTimings(path?: string): SimulatedTimings {
  if (!path) return simulatedTimings();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error: any) {
    if (error?.code === 'ENOENT') return simulatedTimings();
    throw error;
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error: any) {
    throw new Error(`${path}: ${error?.message ?? error}`);
  }
  return simulatedTimings(data, path);
}

/** The value for an image: by full reference, then repository (without tag/registry), then "default". */
export function perImage<T>(table: Record<string, T>, image: string, repository: string): T {
  return table[image] ?? table[repository] ?? table.default;
}
