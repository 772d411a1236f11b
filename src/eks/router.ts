// The EKS REST-JSON routes: method + path template → handler, path parameters decoded. Segments are matched as
// sent, never normalised, so `..` or an encoded slash is a parameter value (a name no resource has), not a way
// to another route; a malformed percent-escape is an InvalidParameterException, not a 500.
import type { EksContext } from './context.js';
import { EksError } from './errors.js';

export interface RouteInput {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export type Route = (ctx: EksContext, input: RouteInput) => Promise<unknown>;

interface Entry {
  method: string;
  operation: string;
  segments: string[];
  handler: Route;
}

export class Router {
  private readonly entries: Entry[] = [];

  add(method: string, template: string, operation: string, handler: Route): this {
    this.entries.push({ method, operation, segments: template.split('/').filter(Boolean), handler });
    return this;
  }

  /** The route for a raw (still encoded) path, with its decoded parameters. */
  match(method: string, rawPath: string): { entry: Entry; params: Record<string, string> } | undefined {
    const parts = rawPath.split('/').filter(Boolean);
    for (const entry of this.entries) {
      if (entry.method !== method || entry.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const fits = entry.segments.every((seg, i) => {
        if (seg.startsWith('{')) {
          params[seg.slice(1, -1)] = decodeParameter(parts[i]);
          return true;
        }
        return seg === parts[i];
      });
      if (fits) return { entry, params };
    }
    return undefined;
  }
}

function decodeParameter(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new EksError('InvalidParameterException', `The request path has an invalid percent-encoding: ${raw}`);
  }
}
