// What simulated commands print: echo, printf, date, hostname, printenv and friends worked out from the command line
// and the environment; the Job example's perl bpi(N) and fixed answers (whoami, uname) from the data of
// behaviour.ts; one-line print statements; and the shell's expansion of $VAR, ${VAR}, $? and $(cmd) in their words.
// A `date` is printed when its line is written, so its text carries a mark that renderLine replaces then.
import { simulatedBehaviour } from './behaviour.js';

/** A line a container writes, `ms` after its start (scaled by the runtime's commandTimeScale). */
export interface OutputLine {
  ms: number;
  text: string;
}

export const dateMark = '\u0001date\u0001';

const days = 'Sun Mon Tue Wed Thu Fri Sat'.split(' ');
const months = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
const two = (n: number) => String(n).padStart(2, '0');

/** `date`'s default output in UTC: "Wed Jan  1 00:00:00 UTC 2025". */
export function dateText(now: Date): string {
  const time = `${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())}`;
  const day = String(now.getUTCDate()).padStart(2, ' ');
  return `${days[now.getUTCDay()]} ${months[now.getUTCMonth()]} ${day} ${time} UTC ${now.getUTCFullYear()}`;
}

/** The line as written at `now`: marks replaced by `marks` (a mark → its text at that time). */
export function renderLine(text: string, now: Date, marks: Record<string, (now: Date) => string> = {}): string {
  if (!text.includes('\u0001')) return text;
  let out = text.split(dateMark).join(dateText(now));
  for (const [mark, render] of Object.entries(marks)) out = out.split(mark).join(render(now));
  return out;
}

/** Substitutes $NAME, ${NAME}, $? and $(cmd)/`cmd` for the commands printed here. */
export function expandWord(word: string, env: Map<string, string>, status: number): string {
  if (!word.includes('$') && !word.includes('`')) return word;
  const substitute = (script: string) => {
    const words = script.trim().split(/\s+/).filter(Boolean);
    const text = words.length ? printedBy(words[0], words.slice(1), env) : '';
    return (text ?? '').replace(/\n+$/, '');
  };
  return word
    .replace(/\$\(([^()]*)\)|`([^`]*)`/g, (_, a, b) => substitute(a ?? b))
    .replace(/\$(\?|\{(\w+)\}|(\w+))/g, (_, all, braced, bare) =>
      all === '?' ? String(status) : (env.get(braced ?? bare) ?? ''),
    );
}

const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', e: '\x1b', '0': '' };
const backslashEscapes = (text: string) => text.replace(/\\([ntr\\ae0])/g, (_, c) => escapes[c]);

/** printf FORMAT ARGS: %s %d %i %f %x %c %%, field widths, \n \t; the format repeats while arguments remain. */
export function printf(format: string, args: string[]): string {
  const fmt = backslashEscapes(format);
  let out = '';
  let i = 0;
  do {
    let used = false;
    out += fmt.replace(/%(-?\d*)(?:\.(\d+))?([sdifxc%])/g, (_, width: string, precision: string, conv: string) => {
      if (conv === '%') return '%';
      used = true;
      const arg = args[i++] ?? '';
      let text = arg;
      if (conv === 'd' || conv === 'i') text = String(Math.trunc(Number(arg) || 0));
      else if (conv === 'f') text = (Number(arg) || 0).toFixed(precision ? Number(precision) : 6);
      else if (conv === 'x') text = (Math.trunc(Number(arg)) || 0).toString(16);
      else if (conv === 'c') text = arg.slice(0, 1);
      else if (precision) text = arg.slice(0, Number(precision));
      const w = Math.abs(Number(width) || 0);
      return width.startsWith('-') ? text.padEnd(w) : text.padStart(w);
    });
    if (!used) break;
  } while (i < args.length);
  return out;
}

function echo(args: string[]): string {
  let newline = true;
  let interpret = false;
  while (args.length && /^-[neE]+$/.test(args[0])) {
    if (args[0].includes('n')) newline = false;
    if (args[0].includes('e')) interpret = true;
    args = args.slice(1);
  }
  const text = args.join(' ');
  return (interpret ? backslashEscapes(text) : text) + (newline ? '\n' : '');
}

/** What a one-line perl/ruby/node/python program prints: bpi(N), or one string literal. */
export function scriptPrints(program: string): string | undefined {
  const pi = /\bbpi\(\s*(\d+)\s*\)/.exec(program);
  const digits = pi && /\bprint\b/.test(program) ? simulatedBehaviour().pi(Number(pi[1])) : undefined;
  if (digits) return `${digits}\n`;
  const literal = /\b(?:print|puts|say|console\.log)\s*\(?\s*(["'])((?:\\.|(?!\1).)*)\1/.exec(program);
  if (!literal) return undefined;
  const text = backslashEscapes(literal[2]);
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** The text a simple command prints on stdout (with its newlines), or undefined if it prints nothing known. */
export function printedBy(name: string, args: string[], env: Map<string, string>): string | undefined {
  const fixed = simulatedBehaviour().commands[[name, ...args].join(' ')];
  if (fixed !== undefined) return `${fixed.split('{hostname}').join(env.get('HOSTNAME') ?? 'localhost')}\n`;
  switch (name) {
    case 'echo':
      return echo(args);
    case 'printf':
      return args.length ? printf(args[0], args.slice(1)) : undefined;
    case 'date':
      return `${dateMark}\n`;
    case 'hostname':
      return `${env.get('HOSTNAME') ?? 'localhost'}\n`;
    case 'pwd':
      return `${env.get('PWD') ?? '/'}\n`;
    case 'printenv':
      if (args.length)
        return args
          .map((a) => env.get(a))
          .filter((v) => v !== undefined)
          .map((v) => `${v}\n`)
          .join('');
      return [...env].map(([k, v]) => `${k}=${v}\n`).join('');
    case 'env':
      return args.length ? undefined : [...env].map(([k, v]) => `${k}=${v}\n`).join('');
    case 'seq': {
      const [first, last] = args.length >= 2 ? [Number(args[0]), Number(args[1])] : [1, Number(args[0])];
      if (!Number.isInteger(first) || !Number.isInteger(last) || last - first > 10_000) return undefined;
      let out = '';
      for (let n = first; n <= last; n++) out += `${n}\n`;
      return out;
    }
    default:
      return undefined;
  }
}
