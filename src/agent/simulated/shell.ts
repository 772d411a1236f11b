// Reads an `sh -c` script the way the simulated runtime needs it: words (quotes, escapes, comments), the operators
// ; && || | & and newlines, and the compound commands for/while/until/if/{ }/( ) as a small syntax tree.
export type Node =
  | { kind: 'simple'; words: string[] }
  | { kind: 'for'; name: string; items: string[]; body: List }
  | { kind: 'loop'; until: boolean; condition: List; body: List }
  | { kind: 'if'; branches: { condition: List; body: List }[]; otherwise?: List }
  | { kind: 'group'; body: List };

/** Commands joined by `|`, then by `;`/`&&`/`||`/`&` to the next item. */
export interface Item {
  pipeline: Node[];
  /** The operator before this item ('' for the first). */
  after: '' | ';' | '&&' | '||';
  background: boolean;
}
export type List = Item[];

const operators = ['&&', '||', ';;', ';', '&', '|', '\n', '(', ')'];

export function tokenize(script: string): string[] {
  const tokens: string[] = [];
  let word: string | undefined;
  const flush = () => {
    if (word !== undefined) tokens.push(word);
    word = undefined;
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === "'") {
      const end = script.indexOf("'", i + 1);
      word = (word ?? '') + script.slice(i + 1, end < 0 ? script.length : end);
      i = end < 0 ? script.length : end;
    } else if (c === '"') {
      let text = '';
      for (i++; i < script.length && script[i] !== '"'; i++) {
        if (script[i] === '\\' && i + 1 < script.length && '"\\$`'.includes(script[i + 1])) i++;
        text += script[i];
      }
      word = (word ?? '') + text;
    } else if (c === '\\' && i + 1 < script.length) {
      if (script[i + 1] !== '\n') word = (word ?? '') + script[i + 1];
      i++;
    } else if (c === '#' && word === undefined) {
      while (i + 1 < script.length && script[i + 1] !== '\n') i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      flush();
    } else {
      const op = operators.find((o) => script.startsWith(o, i) && (word === undefined || '()'.indexOf(o) < 0));
      if (op) {
        flush();
        tokens.push(op);
        i += op.length - 1;
      } else word = (word ?? '') + c;
    }
  }
  flush();
  return tokens;
}

export class ShellSyntaxError extends Error {}

export function parse(script: string): List {
  const tokens = tokenize(script);
  let i = 0;
  const peek = () => tokens[i];
  const expect = (word: string) => {
    if (tokens[i] !== word) throw new ShellSyntaxError(`expected ${word}`);
    i++;
  };
  const skipSeparators = () => {
    while (peek() === ';' || peek() === '\n') i++;
  };

  function list(stops: string[]): List {
    const items: List = [];
    let after: Item['after'] = '';
    for (;;) {
      while (peek() === '\n' || (peek() === ';' && items.length === 0)) i++;
      if (i >= tokens.length || stops.includes(peek())) return items;
      const pipeline = [command()];
      while (peek() === '|') {
        i++;
        pipeline.push(command());
      }
      const item: Item = { pipeline, after, background: false };
      items.push(item);
      const op = peek();
      if (op === '&') {
        item.background = true;
        after = ';';
        i++;
      } else if (op === '&&' || op === '||' || op === ';' || op === '\n') {
        after = op === '\n' ? ';' : op;
        i++;
      } else if (i < tokens.length && !stops.includes(op)) {
        throw new ShellSyntaxError(`unexpected ${op}`);
      }
    }
  }

  function command(): Node {
    const first = peek();
    if (first === 'for') {
      const name = tokens[i + 1] ?? '';
      i += 2;
      const items: string[] = [];
      if (peek() === 'in') for (i++; peek() !== ';' && peek() !== '\n' && peek() !== 'do'; i++) items.push(peek());
      skipSeparators();
      expect('do');
      const body = list(['done']);
      expect('done');
      return { kind: 'for', name, items, body };
    }
    if (first === 'while' || first === 'until') {
      i++;
      const condition = list(['do']);
      expect('do');
      const body = list(['done']);
      expect('done');
      return { kind: 'loop', until: first === 'until', condition, body };
    }
    if (first === 'if') {
      i++;
      const branches: { condition: List; body: List }[] = [];
      let otherwise: List | undefined;
      for (;;) {
        const condition = list(['then']);
        expect('then');
        branches.push({ condition, body: list(['elif', 'else', 'fi']) });
        if (peek() === 'elif') i++;
        else break;
      }
      if (peek() === 'else') {
        i++;
        otherwise = list(['fi']);
      }
      expect('fi');
      return { kind: 'if', branches, otherwise };
    }
    if (first === '{' || first === '(') {
      i++;
      const close = first === '{' ? '}' : ')';
      const body = list([close]);
      expect(close);
      return { kind: 'group', body };
    }
    const words: string[] = [];
    while (i < tokens.length && !operators.includes(peek()) && !(words.length === 0 && peek() === '}'))
      words.push(tokens[i++]);
    if (words.length === 0) throw new ShellSyntaxError(`unexpected ${peek() ?? 'end of script'}`);
    return { kind: 'simple', words };
  }

  const result = list([]);
  if (i < tokens.length) throw new ShellSyntaxError(`unexpected ${peek()}`);
  return result;
}
