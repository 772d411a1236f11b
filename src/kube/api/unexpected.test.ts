// An unexpected exception becomes a 500 InternalError Status; a JavaScript runtime fault's text stays in the log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { badRequest } from './errors.js';
import { panicMessage, toApiError } from './unexpected.js';

test('a runtime fault is a 500 that names no JavaScript, logged once with its stack', () => {
  const logged: unknown[] = [];
  let fault: unknown;
  try {
    (undefined as unknown as { some(): void }).some();
  } catch (error) {
    fault = error;
  }
  const apiError = toApiError(fault, (e) => logged.push(e));
  assert.equal(apiError.code, 500);
  assert.equal(apiError.reason, 'InternalError');
  assert.equal(apiError.status.message, `Internal error occurred: ${panicMessage}`);
  assert.doesNotMatch(JSON.stringify(apiError.status), /TypeError|undefined|some|at /);
  assert.deepEqual(logged, [fault]);
  assert.match((logged[0] as Error).stack ?? '', /TypeError/);
  const thrownString = toApiError('boom', () => {});
  assert.equal(thrownString.status.message, `Internal error occurred: ${panicMessage}`);
});

test('a plain Error keeps its message, as kube-apiserver writes "Internal error occurred: <err>"', () => {
  const apiError = toApiError(new Error('database is locked'), () => {});
  assert.equal(apiError.code, 500);
  assert.equal(apiError.status.message, 'Internal error occurred: database is locked');
});

test('an ApiError passes through and is not logged', () => {
  const logged: unknown[] = [];
  const refusal = badRequest('no');
  assert.equal(
    toApiError(refusal, (e) => logged.push(e)),
    refusal,
  );
  assert.equal(logged.length, 0);
});
