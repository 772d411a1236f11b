// Reads a request body (at most 3 MiB, as kube-apiserver's limit) and decodes it by Content-Type: JSON, YAML, or
// the protobuf kubectl sends for `create namespace|configmap|…`. Bad input is a 400/413/415 Status.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '../api/errors.js';
import { goFindKindError, goJsonSyntaxError, summarizeBody } from '../api/go-json.js';
import { checkNesting, isStackOverflow, nestingError } from '../api/nesting.js';
import { decodeProtobufObject } from '../protobuf/index.js';

export const maxBodyBytes = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBodyBytes) {
    req.resume();
    throw requestEntityTooLarge(maxBodyBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > maxBodyBytes) {
      req.resume();
      throw requestEntityTooLarge(maxBodyBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
}

/**
 * The body as JSON, or the syntax error in Go's encoding/json words. JSON.parse reads every valid body; only a body
 * it refuses is scanned again for Go's text, so the write path parses once.
 */
function jsonOf(body: Buffer): { value: unknown } | { syntax: string } {
  try {
    return { value: JSON.parse(body.toString('utf8')) };
  } catch (error) {
    return { syntax: goJsonSyntaxError(body) ?? (error as Error).message };
  }
}

function parseJson(body: Buffer): unknown {
  const read = jsonOf(body);
  if ('syntax' in read) throw badRequest(`couldn't get version/kind; json parse error: ${read.syntax}`);
  return read.value;
}

/**
 * A create or replace body of kind `kind`: a JSON body the decoder cannot read its apiVersion/kind from is
 * transformDecodeError's 400 — `the object provided is unrecognized (must be of type Namespace): couldn't get
 * version/kind; json parse error: invalid character 'x' looking for beginning of value (78797a)`.
 */
export function decodeObjectBody(body: Buffer, contentType: string | undefined, kind: string): unknown {
  if (mediaType(contentType) !== 'application/json') return decodeBody(body, contentType);
  const unrecognized = (problem: string) =>
    badRequest(
      `the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${problem} (${summarizeBody(body)})`,
    );
  const read = jsonOf(body);
  if ('syntax' in read) throw unrecognized(read.syntax);
  const problem = goFindKindError(read.value);
  if (problem) throw unrecognized(problem);
  checkNesting(read.value);
  return read.value;
}

/**
 * Decodes a body. `patchType` bodies (merge/json/strategic) are JSON; apply patches are YAML (JSON is YAML too).
 * Whatever the type, a body nested deeper than the nesting limit is a 400 (nesting.ts).
 */
export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  const decoded = decodeByType(body, contentType);
  checkNesting(decoded);
  return decoded;
}

function decodeByType(body: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (body.length === 0) throw badRequest('the request body is empty');
  switch (type) {
    case 'application/json':
    case 'application/merge-patch+json':
    case 'application/strategic-merge-patch+json':
    case 'application/json-patch+json':
      return parseJson(body);
    case 'application/yaml':
    case 'application/apply-patch+yaml': {
      try {
        return parseYaml(body.toString('utf8'));
      } catch (error) {
        if (isStackOverflow(error)) throw nestingError('{');
        throw badRequest(`error converting YAML to JSON: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    case 'application/vnd.kubernetes.protobuf':
      try {
        return decodeProtobufObject(body);
      } catch (error) {
        throw badRequest(`error decoding protobuf body: ${(error as Error).message}`);
      }
    default:
      throw unsupportedMediaType();
  }
}
