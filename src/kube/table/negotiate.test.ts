// Accept negotiation: kubectl's Table header, plain JSON, q-values and versions the server does not serve.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wantsTable } from './negotiate.js';

const kubectl =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const cases: [string | undefined, string | undefined][] = [
  [kubectl, 'v1'],
  ['application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json', 'v1beta1'],
  ['application/json;as=Table;v=v2;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io', 'v1beta1'],
  ['application/json', undefined],
  ['application/json, */*;q=0.8', undefined],
  [undefined, undefined],
  ['', undefined],
  ['application/vnd.kubernetes.protobuf,application/json', undefined],
  ['application/json;q=0.5,application/json;as=Table;v=v1;g=meta.k8s.io', 'v1'],
  ['application/json,application/json;as=Table;v=v1;g=meta.k8s.io', undefined],
  ['application/json;as=Table;g=other.io;v=v1,application/json', undefined],
  ['application/json; as=Table; v=v1; g=meta.k8s.io', 'v1'],
];

for (const [accept, want] of cases) {
  test(`wantsTable(${accept}) = ${want}`, () => assert.equal(wantsTable(accept), want));
}
