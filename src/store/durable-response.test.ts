// releaseWhenDurable: a response's writes pass straight through with nothing pending, wait (in order) for the
// writes pending when they were made, and end the connection when the commit is refused.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import { releaseWhenDurable } from './durable-response.js';

function fakeResponse() {
  const sent: string[] = [];
  let destroyed = false;
  const res = {
    write(chunk: string) {
      sent.push(chunk);
      return true;
    },
    end(chunk?: string) {
      sent.push(`end${chunk ? `:${chunk}` : ''}`);
      return res;
    },
    destroy() {
      destroyed = true;
    },
  };
  return { res: res as unknown as ServerResponse, sent, destroyed: () => destroyed };
}

function controllableStore() {
  let pending: Promise<void> | undefined;
  let settle: { resolve(): void; reject(error: Error): void } | undefined;
  return {
    durable: () => pending,
    /** Writes are now waiting for a commit. */
    write() {
      pending = new Promise<void>((resolve, reject) => {
        settle = { resolve, reject };
      });
      pending.catch(() => undefined);
    },
    commit() {
      pending = undefined;
      settle!.resolve();
    },
    refuse() {
      pending = undefined;
      settle!.reject(new Error('disk full'));
    },
  };
}

/** A response whose store has writes waiting for their commit. */
function heldResponse() {
  const response = fakeResponse();
  const store = controllableStore();
  releaseWhenDurable(response.res, store);
  store.write();
  return { ...response, store };
}

test('with nothing pending, writes pass straight through', () => {
  const { res, sent } = fakeResponse();
  releaseWhenDurable(res, { durable: () => undefined });
  assert.equal(res.write('a'), true);
  res.end('b');
  assert.deepEqual(sent, ['a', 'end:b']);
});

test('writes made while writes are pending wait for their commit, and later ones queue behind them', async () => {
  const { res, sent, store } = heldResponse();
  res.write('first');
  assert.deepEqual(sent, [], 'held until the commit');
  store.commit();
  res.write('second'); // nothing pending now, yet it may not overtake `first`
  assert.deepEqual(sent, []);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(sent, ['first', 'second']);
  res.end();
  assert.deepEqual(sent, ['first', 'second', 'end'], 'the queue drained: straight through again');
});

test("a write made after another turn's writes waits for those too", async () => {
  const { res, sent, store } = heldResponse();
  res.write('one');
  store.commit();
  store.write();
  res.end('two');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(sent, ['one'], '`two` may show the second turn, not yet on disk');
  store.commit();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(sent, ['one', 'end:two']);
});

test('a refused commit ends the connection instead of answering', async () => {
  const { res, sent, destroyed, store } = heldResponse();
  res.end('ok');
  store.refuse();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(sent, []);
  assert.equal(destroyed(), true, 'the connection is ended instead');
});

test('a held write that throws ends the connection and leaves nothing rejected behind it', async () => {
  const { res, sent, destroyed } = fakeResponse();
  const write = res.write.bind(res);
  let throwNext = true;
  (res as unknown as { write: (chunk: string) => boolean }).write = (chunk: string) => {
    if (!throwNext) return write(chunk);
    throwNext = false;
    throw new TypeError('bad chunk');
  };
  const store = controllableStore();
  releaseWhenDurable(res, store);
  store.write();
  res.write('bad');
  res.end('after');
  store.commit();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(destroyed(), true);
  assert.deepEqual(sent, ['end:after'], 'the calls after it still run, in order');
});
