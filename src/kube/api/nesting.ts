// The nesting limit on request bodies. kube-apiserver's JSON decoder refuses input nested deeper than 10,000 levels
// (`invalid character '{' exceeded max depth`, a 400); Skiff's own code walks objects recursively (pruning,
// managed fields, strategic merge, the YAML parser), which the JavaScript stack allows only to a few thousand
// levels, so it refuses — with the decoder's words — bodies nested deeper than 500, far beyond any real object,
// rather than failing with a 500 once they are stored.
import { badRequest } from './errors.js';

export const maxNestingDepth = 500;

export function nestingError(opening: '{' | '[') {
  return badRequest(`couldn't get version/kind; json parse error: invalid character '${opening}' exceeded max depth`);
}

/** Throws the decoder's 400 when `value` nests objects or arrays deeper than `limit` (an iterative walk). */
export function checkNesting(value: unknown, limit = maxNestingDepth): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limit) throw nestingError(Array.isArray(current) ? '[' : '{');
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
}

/**
 * A JavaScript stack overflow while handling a request — a body (or an object stored before this limit) nested too
 * deeply — itself or as a library (the YAML parser) rewrapped it.
 */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof Error && /Maximum call stack size exceeded/.test(error.message);
}
