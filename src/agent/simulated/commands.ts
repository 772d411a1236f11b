// What a simulated container's command does: how long it runs before it exits by itself (or that it runs until
// stopped), its exit code, and whether its PID 1 ignores SIGTERM (no handler: sleep, sh, tail, perl… wait for
// SIGKILL at the end of the grace period). Known-finite commands are recognised; anything else serves forever.
import { type List, type Node, parse, ShellSyntaxError } from './shell.js';

export interface Program {
  /** Milliseconds until the process exits by itself; undefined while it runs until stopped. */
  runsForMs?: number;
  exitCode: number;
  ignoresSigterm: boolean;
}

export interface CommandTimings {
  /** Run time of one-liners that compute something (perl -e, python -c, …). */
  computeMs: number;
  /** Default command of images with no entrypoint, by repository (busybox: ["sh"]). */
  imageCommands: Record<string, string[]>;
}

interface Outcome {
  ms: number;
  status: number;
  forever?: boolean;
  exited?: boolean;
}

/** Utilities with no SIGTERM handler: as PID 1 they ignore SIGTERM. */
const noHandler = new Set(
  'sh bash ash dash zsh ksh busybox sleep tail cat perl python python3 node ruby yes watch ping top'.split(' '),
);
const builtins = new Set(
  'exit true false : echo printf test [ cd export set trap wait read kill unset shift'.split(' '),
);
const shells = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);
const instant = new Set(
  (
    'echo printf date env printenv hostname pwd whoami id uname ls touch mkdir rm cp mv ln chmod chown test [ ' +
    'expr seq wc grep head df du ps mount free uptime set export cd sync kill nslookup dig wget curl true : ' +
    'sort uniq cut tr sed awk find stat md5sum sha256sum base64 nproc hostid tee which unset shift'
  ).split(' '),
);
const interpreters: Record<string, string> = { perl: 'e', ruby: 'e', node: 'e', python: 'c', python3: 'c' };
const unitMs: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const basename = (word: string) => word.slice(word.lastIndexOf('/') + 1);

/** The repository part of an image reference: docker.io/library/busybox:1.36 → busybox. */
export function imageRepository(image: string): string {
  const name = image.split('@')[0];
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.split(':')[0];
}

export function programOf(
  container: { image?: string; command?: string[]; args?: string[]; stdin?: boolean },
  timings: CommandTimings,
): Program {
  const defaults = timings.imageCommands[imageRepository(container.image ?? '')];
  let argv: string[];
  if (container.command?.length) argv = [...container.command, ...(container.args ?? [])];
  else if (defaults) argv = container.args?.length ? container.args : defaults;
  else return { exitCode: 0, ignoresSigterm: false };
  const stdin = Boolean(container.stdin);
  const outcome = run(argv, stdin, timings, { ms: 0, status: 0 });
  const pid1 = pid1Of(argv);
  const ignoresSigterm = noHandler.has(pid1.name) && !pid1.traps;
  if (outcome.forever) return { exitCode: 0, ignoresSigterm };
  return { runsForMs: outcome.ms, exitCode: outcome.status, ignoresSigterm };
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

/** The script of `sh -c SCRIPT` (flags like -ec allowed), else undefined. */
function shellScript(argv: string[]): string | undefined {
  if (!shells.has(basename(argv[0]))) return undefined;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-')) return undefined;
    if (arg.slice(1).includes('c')) return argv[i + 1] ?? '';
  }
  return undefined;
}

function run(argv: string[], stdin: boolean, timings: CommandTimings, state: Outcome): Outcome {
  const assignments = argv.findIndex((word) => !/^\w+=/.test(word));
  const words = assignments < 0 ? [] : argv.slice(assignments);
  if (words.length === 0) return { ms: 0, status: 0 };
  const [first, ...rest] = words;
  const name = basename(first);
  const done = (ms: number, status = 0): Outcome => ({ ms, status });
  const forever: Outcome = { ms: 0, status: 0, forever: true };
  if (name === 'exec') return run(rest, stdin, timings, state);
  if (name === 'false') return done(0, 1);
  if (name === 'exit') return { ms: 0, status: rest.length ? Number(rest[0]) & 255 || 0 : state.status, exited: true };
  if (name === 'sleep') {
    let ms = 0;
    for (const arg of rest) {
      const m = /^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$/.exec(arg);
      if (!m) return forever;
      ms += Number(m[1]) * unitMs[m[2]];
    }
    return done(ms);
  }
  if (name === 'tail') return rest.some((a) => /^(-f|-F|--follow)/.test(a)) ? forever : done(0);
  if (name === 'cat') return rest.length === 0 || rest.includes('-') ? (stdin ? forever : done(0)) : done(0);
  if (name === 'ping') {
    const count = rest.indexOf('-c');
    return count >= 0 && Number(rest[count + 1]) > 0 ? done(Number(rest[count + 1]) * 1000) : forever;
  }
  if (name === 'yes' || name === 'watch' || name === 'top') return forever;
  if (instant.has(name)) return done(0);
  if (shells.has(name) || name === 'busybox') {
    if (name === 'busybox' && rest.length) return run(rest, stdin, timings, state);
    const script = shellScript(words);
    if (script !== undefined) return evaluateScript(script, stdin, timings);
    return rest.length ? forever : stdin ? forever : done(0);
  }
  if (name in interpreters) {
    const flag = interpreters[name];
    if (rest.some((a) => a.startsWith('-') && !a.startsWith('--') && a.slice(1).includes(flag))) {
      return done(timings.computeMs);
    }
    return rest.length ? forever : stdin ? forever : done(0);
  }
  return forever;
}

export function evaluateScript(script: string, stdin: boolean, timings: CommandTimings): Outcome {
  try {
    return list(parse(script), stdin, timings, { ms: 0, status: 0 });
  } catch (error) {
    if (error instanceof ShellSyntaxError) return { ms: 0, status: 2 };
    throw error;
  }
}

function list(items: List, stdin: boolean, timings: CommandTimings, state: Outcome): Outcome {
  let current = { ...state };
  for (const item of items) {
    if (item.after === '&&' && current.status !== 0) continue;
    if (item.after === '||' && current.status === 0) continue;
    if (item.background) continue;
    let result: Outcome = { ms: 0, status: 0 };
    for (const node of item.pipeline) {
      const step = command(node, stdin, timings, current);
      if (step.forever) return { ...current, forever: true };
      result = { ms: Math.max(result.ms, step.ms), status: step.status, exited: step.exited };
    }
    current = { ms: current.ms + result.ms, status: result.status };
    if (result.exited) return { ...current, exited: true };
  }
  return current;
}

function command(node: Node, stdin: boolean, timings: CommandTimings, state: Outcome): Outcome {
  switch (node.kind) {
    case 'simple':
      return run(node.words, stdin, timings, state);
    case 'group':
      return relative(list(node.body, stdin, timings, state), state);
    case 'for': {
      let current = { ...state, ms: 0 };
      for (const _ of node.items) {
        current = list(node.body, stdin, timings, current);
        if (current.forever || current.exited) break;
      }
      return current;
    }
    case 'loop': {
      const condition = relative(list(node.condition, stdin, timings, state), state);
      if (condition.forever || condition.exited) return condition;
      const enters = node.until ? condition.status !== 0 : condition.status === 0;
      return enters ? { ms: 0, status: 0, forever: true } : { ms: condition.ms, status: 0 };
    }
    case 'if': {
      let spent = 0;
      for (const branch of node.branches) {
        const condition = relative(list(branch.condition, stdin, timings, state), state);
        if (condition.forever || condition.exited) return condition;
        spent += condition.ms;
        if (condition.status === 0) return add(list(branch.body, stdin, timings, { ...state, ms: 0 }), spent);
      }
      return node.otherwise
        ? add(list(node.otherwise, stdin, timings, { ...state, ms: 0 }), spent)
        : { ms: spent, status: 0 };
    }
  }
}

const relative = (outcome: Outcome, before: Outcome): Outcome => ({ ...outcome, ms: outcome.ms - before.ms });
const add = (outcome: Outcome, ms: number): Outcome => ({ ...outcome, ms: outcome.ms + ms });
