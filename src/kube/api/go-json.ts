// Go's encoding/json as kube-apiserver's decoder meets a body (runtime/serializer/json's Interpret): the syntax
// errors of its scanner word for word ("invalid character 'x' looking for beginning of value", "unexpected end of
// JSON input", …), checked over the bytes before anything is decoded, and the type error of a top-level value that
// is not an object (or an apiVersion/kind that is not a string), for the struct Interpret decodes into.

const findKindType =
  'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/** encoding/json's quoteChar: the offending byte as Go prints it in single quotes. */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };
  if (named[c]) return `'${named[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  if (c === 0x5c) return "'\\\\'";
  if (c >= 0x80 && c < 0xa0) return `'\\u00${c.toString(16)}'`;
  if (c === 0xad) return "'\\u00ad'";
  return `'${String.fromCharCode(c)}'`;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

type Parse = 'objectKey' | 'objectValue' | 'arrayValue';
type Step = (c: number) => Step | 'end';

class GoSyntaxError extends Error {}

/** The syntax error Go's json.Unmarshal reports for `data`, or undefined when it is valid JSON. */
export function goJsonSyntaxError(data: Uint8Array): string | undefined {
  const stack: Parse[] = [];
  const fail = (c: number, context: string): never => {
    throw new GoSyntaxError(`invalid character ${quoteChar(c)} ${context}`);
  };
  const literal =
    (rest: string, word: string, at: number): Step =>
    (c) => {
      if (c === rest.charCodeAt(at)) return at + 1 === rest.length ? endValue : literal(rest, word, at + 1);
      return fail(c, `in literal ${word} (expecting '${rest[at]}')`);
    };
  const endTop: Step = (c) => (isSpace(c) ? endTop : fail(c, 'after top-level value'));
  const pop = (): Step => {
    stack.pop();
    return stack.length === 0 ? endTop : endValue;
  };
  const endValue: Step = (c) => {
    const top = stack[stack.length - 1];
    if (top === undefined) return endTop(c);
    if (isSpace(c)) return endValue;
    if (top === 'objectKey') {
      if (c === 0x3a) {
        stack[stack.length - 1] = 'objectValue';
        return beginValue;
      }
      return fail(c, 'after object key');
    }
    if (top === 'objectValue') {
      if (c === 0x2c) {
        stack[stack.length - 1] = 'objectKey';
        return beginString;
      }
      if (c === 0x7d) return pop();
      return fail(c, 'after object key:value pair');
    }
    if (c === 0x2c) return beginValue;
    if (c === 0x5d) return pop();
    return fail(c, 'after array element');
  };
  const inString: Step = (c) => {
    if (c === 0x22) return endValue;
    if (c === 0x5c) return inStringEscape;
    if (c < 0x20) return fail(c, 'in string literal');
    return inString;
  };
  const hexEscape =
    (left: number): Step =>
    (c) => {
      if (!isHex(c)) return fail(c, 'in \\u hexadecimal character escape');
      return left === 1 ? inString : hexEscape(left - 1);
    };
  const inStringEscape: Step = (c) => {
    if ('bfnrt\\/"'.includes(String.fromCharCode(c))) return inString;
    if (c === 0x75) return hexEscape(4);
    return fail(c, 'in string escape code');
  };
  const exponentDigits: Step = (c) => (isDigit(c) ? exponentDigits : endValue(c));
  const exponentSign: Step = (c) => (isDigit(c) ? exponentDigits : fail(c, 'in exponent of numeric literal'));
  const exponent: Step = (c) => (c === 0x2b || c === 0x2d ? exponentSign : exponentSign(c));
  const fraction: Step = (c) => {
    if (isDigit(c)) return fraction;
    if (c === 0x65 || c === 0x45) return exponent;
    return endValue(c);
  };
  const dot: Step = (c) => (isDigit(c) ? fraction : fail(c, 'after decimal point in numeric literal'));
  const zero: Step = (c) => {
    if (c === 0x2e) return dot;
    if (c === 0x65 || c === 0x45) return exponent;
    return endValue(c);
  };
  const digits: Step = (c) => (isDigit(c) ? digits : zero(c));
  const negative: Step = (c) => {
    if (c === 0x30) return zero;
    if (c >= 0x31 && c <= 0x39) return digits;
    return fail(c, 'in numeric literal');
  };
  const beginValue: Step = (c) => {
    if (isSpace(c)) return beginValue;
    switch (c) {
      case 0x7b:
        stack.push('objectKey');
        return beginStringOrEmpty;
      case 0x5b:
        stack.push('arrayValue');
        return beginValueOrEmpty;
      case 0x22:
        return inString;
      case 0x2d:
        return negative;
      case 0x30:
        return zero;
      case 0x74:
        return literal('rue', 'true', 0);
      case 0x66:
        return literal('alse', 'false', 0);
      case 0x6e:
        return literal('ull', 'null', 0);
    }
    if (c >= 0x31 && c <= 0x39) return digits;
    return fail(c, 'looking for beginning of value');
  };
  const beginValueOrEmpty: Step = (c) => {
    if (isSpace(c)) return beginValueOrEmpty;
    if (c === 0x5d) return pop();
    return beginValue(c);
  };
  const beginString: Step = (c) => {
    if (isSpace(c)) return beginString;
    if (c === 0x22) return inString;
    return fail(c, 'looking for beginning of object key string');
  };
  const beginStringOrEmpty: Step = (c) => {
    if (isSpace(c)) return beginStringOrEmpty;
    if (c === 0x7d) {
      stack[stack.length - 1] = 'objectValue';
      return endValue(c);
    }
    return beginString(c);
  };

  let step: Step = beginValue;
  try {
    for (const c of data) step = step(c) as Step;
    // Go's eof: a value still open (or nothing at all) is the end of input; a number ends at a space.
    if (step === endTop) return undefined;
    const after = step(0x20);
    if (after === endTop && stack.length === 0) return undefined;
    return 'unexpected end of JSON input';
  } catch (error) {
    if (error instanceof GoSyntaxError) return error.message;
    throw error;
  }
}

const goKind = (value: unknown) =>
  Array.isArray(value)
    ? 'array'
    : typeof value === 'boolean'
      ? 'bool'
      : typeof value === 'object'
        ? 'object'
        : typeof value;

/** The error json.Unmarshal gives decoding `value` (valid JSON) into Interpret's apiVersion/kind struct, if any. */
export function goFindKindError(value: unknown): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    return `json: cannot unmarshal ${goKind(value)} into Go value of type ${findKindType}`;
  }
  for (const field of ['apiVersion', 'kind']) {
    const v = (value as Record<string, unknown>)[field];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      return `json: cannot unmarshal ${goKind(v)} into Go struct field .${field} of type string`;
    }
  }
  return undefined;
}

/** transformDecodeError's summary of a body it could not decode: the text when it starts with '{', else hex. */
export function summarizeBody(data: Uint8Array, maxLength = 30): string {
  if (data.length === 0) return '<empty>';
  const head = Buffer.from(data.subarray(0, maxLength));
  const more = data.length > maxLength ? ' ...' : '';
  return data[0] === 0x7b ? `${head.toString('latin1')}${more}` : `${head.toString('hex')}${more}`;
}
