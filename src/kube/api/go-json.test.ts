// Go's encoding/json error texts for bodies kube-apiserver cannot decode, case by case.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goFindKindError, goJsonSyntaxError, summarizeBody } from './go-json.js';

const syntax = (text: string) => goJsonSyntaxError(Buffer.from(text, 'latin1'));

test('valid JSON has no syntax error', () => {
  for (const text of ['{}', ' {"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"]} ', '"s"', '12', '[]', 'null'])
    assert.equal(syntax(text), undefined, text);
});

test('the scanner’s messages', () => {
  const cases: [string, string][] = [
    ['', 'unexpected end of JSON input'],
    ['{', 'unexpected end of JSON input'],
    ['{"a":', 'unexpected end of JSON input'],
    ['[1,', 'unexpected end of JSON input'],
    ['"abc', 'unexpected end of JSON input'],
    ['xyz', "invalid character 'x' looking for beginning of value"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['[1 2]', "invalid character '2' after array element"],
    ['{a:1}', "invalid character 'a' looking for beginning of object key string"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['{} x', "invalid character 'x' after top-level value"],
    ["'a'", "invalid character '\\'' looking for beginning of value"],
    ['"a\nb"', "invalid character '\\n' in string literal"],
    ['"\\q"', "invalid character 'q' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ['-a', "invalid character 'a' in numeric literal"],
    ['1.x', "invalid character 'x' after decimal point in numeric literal"],
    ['1ex', "invalid character 'x' in exponent of numeric literal"],
    ['tru', "invalid character ' ' in literal true (expecting 'e')"],
    ['nil', "invalid character 'i' in literal null (expecting 'u')"],
    ['apiVersion: v1', "invalid character 'a' looking for beginning of value"],
  ];
  for (const [text, message] of cases) assert.equal(syntax(text), message, JSON.stringify(text));
});

test('a value Interpret cannot decode its apiVersion/kind from', () => {
  const struct =
    'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';
  assert.equal(goFindKindError('imastring'), `json: cannot unmarshal string into Go value of type ${struct}`);
  assert.equal(goFindKindError([1]), `json: cannot unmarshal array into Go value of type ${struct}`);
  assert.equal(goFindKindError({ kind: 1 }), 'json: cannot unmarshal number into Go struct field .kind of type string');
  assert.equal(goFindKindError({ kind: 'Namespace' }), undefined);
  assert.equal(goFindKindError(null), undefined);
});

test('the body summary: text from a brace, else hex, cut at 30 bytes', () => {
  assert.equal(summarizeBody(Buffer.from('xyz')), '78797a');
  assert.equal(summarizeBody(Buffer.from('{"a":')), '{"a":');
  assert.equal(
    summarizeBody(Buffer.from('apiVersion: v1\nkind: PersistentVolume\n')),
    '61706956657273696f6e3a2076310a6b696e643a2050657273697374656e ...',
  );
  assert.equal(summarizeBody(Buffer.alloc(0)), '<empty>');
});
