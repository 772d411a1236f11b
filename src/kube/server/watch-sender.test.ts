import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { it } from 'node:test';
import { type WatchResponse, WatchSender } from './watch-sender.js';

/** A response whose socket takes `room` writes, then needs a drain. */
class FakeResponse extends EventEmitter implements WatchResponse {
  written: string[] = [];
  writableNeedDrain = false;
  writableEnded = false;
  destroyed = false;

  constructor(private room: number) {
    super();
  }

  write(chunk: string): boolean {
    this.written.push(chunk);
    if (--this.room <= 0) this.writableNeedDrain = true;
    return !this.writableNeedDrain;
  }

  end(): void {
    this.writableEnded = true;
  }

  destroy(): void {
    this.destroyed = true;
  }

  drain(room: number): void {
    this.room = room;
    this.writableNeedDrain = false;
    this.emit('drain');
  }
}

it('holds events while the socket is full and sends them in order once it drains', () => {
  const res = new FakeResponse(2);
  const sender = new WatchSender(res, () => res.end(), 10);
  for (let i = 0; i < 6; i++) sender.send(`e${i}\n`);
  assert.deepEqual(res.written, ['e0\n', 'e1\n']);
  res.drain(2);
  assert.deepEqual(res.written, ['e0\n', 'e1\n', 'e2\n', 'e3\n']);
  sender.send('e6\n');
  res.drain(100);
  assert.deepEqual(
    res.written.map((l) => l.trim()),
    ['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6'],
  );
  assert.equal(sender.wasCutOff, false);
});

it('cuts off a watcher whose buffer overflows: the watch ends, nothing more is buffered', () => {
  const res = new FakeResponse(1);
  let cut = 0;
  const sender = new WatchSender(
    res,
    () => {
      cut++;
      res.end();
    },
    3,
  );
  for (let i = 0; i < 10; i++) sender.send(`e${i}\n`);
  assert.equal(cut, 1);
  assert.equal(sender.wasCutOff, true);
  assert.equal(res.writableEnded, true);
  res.drain(100);
  assert.deepEqual(res.written, ['e0\n'], 'what waited is dropped: the client re-watches from e0');
});
