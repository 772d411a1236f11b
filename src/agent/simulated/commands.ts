// What a simulated container's command does: how long it runs before it exits by itself (or that it runs until
// stopped), its exit code, whether its PID 1 ignores SIGTERM (no handler: sleep, sh, tail, perl… wait for SIGKILL
// at the end of the grace period), and the lines it prints and when (a `while true` loop's repeat every period).
import { expandWord, type OutputLine } from './printed.js';
import { basename, done, run, type Shell, shellScript } from './script.js';
import { type List, parse } from './shell.js';

/** Lines printed again every `periodMs`, the first round `startMs` after the start (a loop that never ends). */
export interface Repeat {
  startMs: number;
  periodMs: number;
  lines: OutputLine[];
}

export interface Program {
  /** Milliseconds until the process exits by itself; undefined while it runs until stopped. */
  runsForMs?: number;
  exitCode: number;
  ignoresSigterm: boolean;
  output: OutputLine[];
  repeat?: Repeat;
}

export interface CommandTimings {
  /** Run time of one-liners that compute something (perl -e, python -c, …). */
  computeMs: number;
  /** Default command of images with no entrypoint, by repository (busybox: ["sh"]). */
  imageCommands: Record<string, string[]>;
}

/** Utilities with no SIGTERM handler: as PID 1 they ignore SIGTERM. */
const noHandler = new Set(
  'sh bash ash dash zsh ksh busybox sleep tail cat perl python python3 node ruby yes watch ping top'.split(' '),
);
const builtins = new Set(
  'exit true false : echo printf test [ cd export set trap wait read kill unset shift'.split(' '),
);

/** The repository part of an image reference: docker.io/library/busybox:1.36 → busybox. */
export function imageRepository(image: string): string {
  const name = image.split('@')[0];
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.split(':')[0];
}

export function programOf(
  container: { image?: string; command?: string[]; args?: string[]; stdin?: boolean; env?: unknown[] },
  timings: CommandTimings,
  hostname = 'localhost',
): Program {
  const defaults = timings.imageCommands[imageRepository(container.image ?? '')];
  let argv: string[];
  if (container.command?.length) argv = [...container.command, ...(container.args ?? [])];
  else if (defaults) argv = container.args?.length ? container.args : defaults;
  else return { exitCode: 0, ignoresSigterm: false, output: [] };
  const sh: Shell = { stdin: Boolean(container.stdin), timings, env: environment(container.env, hostname) };
  const outcome = run(
    argv.map((word) => kubeExpand(word, sh.env)),
    sh,
    done(0),
  );
  const pid1 = pid1Of(argv);
  const ignoresSigterm = noHandler.has(pid1.name) && !pid1.traps;
  const output = outcome.out;
  if (outcome.forever)
    return { exitCode: 0, ignoresSigterm, output, ...(outcome.repeat ? { repeat: outcome.repeat } : {}) };
  return { runsForMs: outcome.ms, exitCode: outcome.status, ignoresSigterm, output };
}

/** The container's environment as its process sees it: PATH, HOSTNAME (the pod's name), HOME and env values. */
function environment(env: unknown[] | undefined, hostname: string): Map<string, string> {
  const vars = new Map([
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['HOSTNAME', hostname],
  ]);
  for (const item of env ?? []) {
    const { name, value } = (item ?? {}) as { name?: unknown; value?: unknown };
    if (typeof name === 'string') vars.set(name, typeof value === 'string' ? expandWord(value, vars, 0) : '');
  }
  vars.set('HOME', vars.get('HOME') ?? '/root');
  return vars;
}

/** Kubernetes' own expansion of command and args: $(VAR) of a defined variable, $$ for a literal $. */
function kubeExpand(word: string, env: Map<string, string>): string {
  return word.replace(/\$\$|\$\((\w+)\)/g, (match, name) =>
    match === '$$' ? '$' : env.has(name) ? env.get(name)! : match,
  );
}

/** PID 1's program: a shell execs a lone simple command; `trap … TERM` installs a handler. */
function pid1Of(argv: string[]): { name: string; traps: boolean } {
  const name = basename(argv[0]);
  const script = shellScript(argv);
  if (script === undefined) return { name, traps: false };
  let list: List;
  try {
    list = parse(script);
  } catch {
    return { name, traps: false };
  }
  const traps = /\btrap\b[^\n;]*\b(TERM|SIGTERM|15)\b/.test(script);
  const only = list.length === 1 && list[0].pipeline.length === 1 ? list[0].pipeline[0] : undefined;
  if (only?.kind === 'simple') {
    const words = only.words[0] === 'exec' ? only.words.slice(1) : only.words;
    if (words.length && !builtins.has(words[0])) return pid1Of(words);
  }
  return { name, traps };
}
