// Runs a simulated shell script or command line on paper: how long it takes, its exit status, whether it never
// ends, and what it prints when (`&&`, `||`, pipelines, for/while/until/if, groups, variables, exit).
import type { CommandTimings, Repeat } from './commands.js';
import { expandWord, type OutputLine, printedBy, scriptPrints } from './printed.js';
import { type List, type Node, parse, ShellSyntaxError } from './shell.js';

export interface Outcome {
  ms: number;
  status: number;
  forever?: boolean;
  exited?: boolean;
  /** Printed lines, timed in the same frame as `ms`. */
  out: OutputLine[];
  repeat?: Repeat;
}

/** The shell's state while a script is read: stdin attached, timings, variables. */
export interface Shell {
  stdin: boolean;
  timings: CommandTimings;
  env: Map<string, string>;
}

export const shells = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);
const instant = new Set(
  (
    'echo printf date env printenv hostname pwd whoami id uname ls touch mkdir rm cp mv ln chmod chown test [ ' +
    'expr seq wc grep head df du ps mount free uptime set export cd sync kill nslookup dig wget curl true : ' +
    'sort uniq cut tr sed awk find stat md5sum sha256sum base64 nproc hostid tee which unset shift'
  ).split(' '),
);
const interpreters: Record<string, string> = { perl: 'e', ruby: 'e', node: 'e', python: 'c', python3: 'c' };
const unitMs: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const basename = (word: string) => word.slice(word.lastIndexOf('/') + 1);

export const done = (ms: number, status = 0, out: OutputLine[] = []): Outcome => ({ ms, status, out });
const forever: Outcome = { ms: 0, status: 0, forever: true, out: [] };

/** A command's printed text as lines at `ms` (a last line without newline still counts). */
function linesOf(text: string | undefined, ms = 0): OutputLine[] {
  if (!text) return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => ({ ms, text: line }));
}

/** The script of `sh -c SCRIPT` (flags like -ec allowed), else undefined. */
export function shellScript(argv: string[]): string | undefined {
  if (!shells.has(basename(argv[0]))) return undefined;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-')) return undefined;
    if (arg.slice(1).includes('c')) return argv[i + 1] ?? '';
  }
  return undefined;
}

export function run(argv: string[], sh: Shell, state: Outcome): Outcome {
  const assignments = argv.findIndex((word) => !/^\w+=/.test(word));
  if (assignments < 0) {
    for (const word of argv) sh.env.set(word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1));
    return done(0);
  }
  const words = argv.slice(assignments);
  const [first, ...rest] = words;
  const name = basename(first);
  if (name === 'exec') return run(rest, sh, state);
  if (name === 'false') return done(0, 1);
  if (name === 'exit')
    return { ms: 0, status: rest.length ? Number(rest[0]) & 255 || 0 : state.status, exited: true, out: [] };
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
  if (name === 'cat') return rest.length === 0 || rest.includes('-') ? (sh.stdin ? forever : done(0)) : done(0);
  if (name === 'ping') {
    const count = rest.indexOf('-c');
    return count >= 0 && Number(rest[count + 1]) > 0 ? done(Number(rest[count + 1]) * 1000) : forever;
  }
  if (name === 'yes' || name === 'watch' || name === 'top') return forever;
  if (instant.has(name)) return done(0, 0, linesOf(printedBy(name, rest, sh.env)));
  if (shells.has(name) || name === 'busybox') {
    if (name === 'busybox' && rest.length) return run(rest, sh, state);
    const script = shellScript(words);
    if (script !== undefined) return evaluateScript(script, sh);
    return rest.length ? forever : sh.stdin ? forever : done(0);
  }
  if (name in interpreters) {
    const flag = interpreters[name];
    const at = rest.findIndex((a) => a.startsWith('-') && !a.startsWith('--') && a.slice(1).includes(flag));
    if (at >= 0) {
      const program = rest.slice(at + 1).join(' ') || rest[at];
      return done(sh.timings.computeMs, 0, linesOf(scriptPrints(program), sh.timings.computeMs));
    }
    return rest.length ? forever : sh.stdin ? forever : done(0);
  }
  return forever;
}

function evaluateScript(script: string, sh: Shell): Outcome {
  try {
    return list(parse(script), sh, done(0));
  } catch (error) {
    if (error instanceof ShellSyntaxError) return done(0, 2);
    throw error;
  }
}

function list(items: List, sh: Shell, state: Outcome): Outcome {
  let current: Outcome = { ...state, out: [...state.out] };
  for (const item of items) {
    if (item.after === '&&' && current.status !== 0) continue;
    if (item.after === '||' && current.status === 0) continue;
    if (item.background) continue;
    let result: Outcome = done(0);
    for (const [index, node] of item.pipeline.entries()) {
      const step = command(node, sh, current);
      const printed = index === item.pipeline.length - 1 ? shift(step, current.ms) : { out: [], repeat: undefined };
      if (step.forever)
        return { ...current, out: [...current.out, ...printed.out], forever: true, repeat: printed.repeat };
      result = { ms: Math.max(result.ms, step.ms), status: step.status, exited: step.exited, out: printed.out };
    }
    current = { ms: current.ms + result.ms, status: result.status, out: [...current.out, ...result.out] };
    if (result.exited) return { ...current, exited: true };
  }
  return current;
}

function command(node: Node, sh: Shell, state: Outcome): Outcome {
  switch (node.kind) {
    case 'simple':
      return run(
        node.words.map((word) => expandWord(word, sh.env, state.status)),
        sh,
        state,
      );
    case 'group':
      return relative(list(node.body, sh, fresh(state)), state);
    case 'for': {
      let current = { ...fresh(state), ms: 0 };
      for (const item of node.items) {
        sh.env.set(node.name, expandWord(item, sh.env, current.status));
        current = list(node.body, sh, current);
        if (current.forever || current.exited) break;
      }
      return current;
    }
    case 'loop': {
      const condition = relative(list(node.condition, sh, fresh(state)), state);
      if (condition.forever || condition.exited) return condition;
      const enters = node.until ? condition.status !== 0 : condition.status === 0;
      if (!enters) return { ms: condition.ms, status: 0, out: condition.out };
      const body = add(list(node.body, sh, { ...fresh(state), ms: 0 }), condition.ms);
      const periodMs = body.ms;
      const lines = [...condition.out, ...body.out];
      if (body.forever || body.exited || periodMs <= 0 || lines.length === 0) return { ...body, forever: true };
      return { ms: 0, status: 0, forever: true, out: [], repeat: { startMs: 0, periodMs, lines } };
    }
    case 'if': {
      let spent = 0;
      let out: OutputLine[] = [];
      for (const branch of node.branches) {
        const condition = relative(list(branch.condition, sh, fresh(state)), state);
        if (condition.forever || condition.exited) return condition;
        out = [...out, ...shift(condition, spent).out];
        spent += condition.ms;
        if (condition.status === 0) return prepend(add(list(branch.body, sh, { ...fresh(state), ms: 0 }), spent), out);
      }
      return node.otherwise
        ? prepend(add(list(node.otherwise, sh, { ...fresh(state), ms: 0 }), spent), out)
        : { ms: spent, status: 0, out };
    }
  }
}

/** The state to start a nested list from: same time and status, nothing printed yet. */
const fresh = (state: Outcome): Outcome => ({ ms: state.ms, status: state.status, out: [] });
const shift = (outcome: Outcome, ms: number): Pick<Outcome, 'out' | 'repeat'> => ({
  out: outcome.out.map((line) => ({ ...line, ms: line.ms + ms })),
  repeat: outcome.repeat && { ...outcome.repeat, startMs: outcome.repeat.startMs + ms },
});
const relative = (outcome: Outcome, before: Outcome): Outcome => ({
  ...outcome,
  ...shift(outcome, -before.ms),
  ms: outcome.ms - before.ms,
});
const add = (outcome: Outcome, ms: number): Outcome => ({ ...outcome, ...shift(outcome, ms), ms: outcome.ms + ms });
const prepend = (outcome: Outcome, out: OutputLine[]): Outcome => ({ ...outcome, out: [...out, ...outcome.out] });
