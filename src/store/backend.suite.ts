// The one behaviour suite every Backend passes (memory.test.ts, sqlite.test.ts): writes and their errors, pinned
// and paged lists, watch replay and live delivery without gaps, compaction, and (when the backend can) reopening.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  StoreError,
} from './errors.js';
import type { Backend, WatchEvent } from './types.js';

export type MakeBackend = () => Promise<Backend>;
/** Closes the backend and opens the same storage again. */
export type ReopenBackend = (backend: Backend) => Promise<Backend>;

async function withBackend(make: MakeBackend, body: (b: Backend) => Promise<void>): Promise<void> {
  const backend = await make();
  try {
    await body(backend);
  } finally {
    await backend.close();
  }
}

/** Collects a watch's events. */
async function record(b: Backend, prefix: string, afterRevision: number) {
  const events: WatchEvent[] = [];
  const watch = await b.watch(prefix, { afterRevision }, (e) => events.push(e));
  return { events, watch, revisions: () => events.map((e) => e.kv.modRevision) };
}

const keysOf = (items: { key: string }[]) => items.map((kv) => kv.key);

export function backendSuite(name: string, make: MakeBackend, reopen?: ReopenBackend): void {
  const it = (title: string, body: (b: Backend) => Promise<void>) => test(title, () => withBackend(make, body));

  describe(`${name} backend`, () => {
    it('create gives the next revision; get returns it; creating a live key fails', async (b) => {
      assert.equal(await b.currentRevision(), 0);
      const kv = await b.create('/a/one', 'v1');
      assert.deepEqual(kv, { key: '/a/one', value: 'v1', createRevision: 1, modRevision: 1 });
      assert.deepEqual(await b.get('/a/one'), kv);
      assert.equal(await b.get('/a/missing'), undefined);
      await assert.rejects(b.create('/a/one', 'again'), KeyExistsError);
      await assert.rejects(b.create('', 'x'), StoreError);
      assert.equal(await b.currentRevision(), 1);
    });

    it('update keeps createRevision, checks the expected revision, fails on missing keys', async (b) => {
      await b.create('/a/k', 'v1');
      await b.create('/a/other', 'x');
      const v2 = await b.update('/a/k', 'v2');
      assert.deepEqual(v2, { key: '/a/k', value: 'v2', createRevision: 1, modRevision: 3 });
      const v3 = await b.update('/a/k', 'v3', 3);
      assert.equal(v3.modRevision, 4);
      const conflict = await b.update('/a/k', 'v4', 3).catch((e) => e);
      assert.ok(conflict instanceof ConflictError);
      assert.deepEqual([conflict.key, conflict.expected, conflict.actual], ['/a/k', 3, 4]);
      await assert.rejects(b.update('/a/nope', 'x'), KeyNotFoundError);
      await assert.rejects(b.update('/a/nope', 'x', 1), KeyNotFoundError);
      assert.equal((await b.get('/a/k'))?.value, 'v3');
      assert.equal(await b.currentRevision(), 4, 'failed writes take no revision');
    });

    it('delete returns the last version at the delete revision; a re-create starts over', async (b) => {
      await b.create('/a/k', 'v1');
      await b.update('/a/k', 'v2');
      await assert.rejects(b.delete('/a/k', 1), ConflictError);
      const gone = await b.delete('/a/k', 2);
      assert.deepEqual(gone, { key: '/a/k', value: 'v2', createRevision: 1, modRevision: 3 });
      assert.equal(await b.get('/a/k'), undefined);
      await assert.rejects(b.delete('/a/k'), KeyNotFoundError);
      await assert.rejects(b.update('/a/k', 'v3'), KeyNotFoundError);
      const again = await b.create('/a/k', 'new');
      assert.deepEqual(again, { key: '/a/k', value: 'new', createRevision: 4, modRevision: 4 });
      await b.delete('/a/k');
      assert.equal(await b.count('/a/'), 0);
    });

    it('lists a prefix in key order and counts it, without neighbouring prefixes', async (b) => {
      for (const key of ['/p/b', '/p/a', '/pq/x', '/p/c', '/o/z', '/p/é', '/p/\u{1F600}', '/p/\uFFFD']) {
        await b.create(key, key);
      }
      await b.delete('/p/c');
      const list = await b.list('/p/');
      assert.deepEqual(keysOf(list.items), ['/p/a', '/p/b', '/p/é', '/p/\uFFFD', '/p/\u{1F600}']);
      assert.equal(list.revision, 9);
      assert.equal(list.more, false);
      assert.equal(await b.count('/p/'), 5);
      assert.equal(await b.count('/p'), 6);
      assert.equal(await b.count(''), 7);
      assert.equal((await b.list('')).items.length, 7);
      assert.deepEqual(keysOf((await b.list('/p/', { startAfter: '/p/b', limit: 2 })).items), ['/p/é', '/p/\uFFFD']);
    });

    it('pages a pinned revision with limit + startAfter while later writes happen', async (b) => {
      for (let i = 0; i < 25; i++) await b.create(`/pods/${String(i).padStart(2, '0')}`, `v${i}`);
      const pinned = await b.currentRevision();
      const first = await b.list('/pods/', { limit: 10 });
      assert.equal(first.revision, pinned);
      assert.equal(first.more, true);
      // Later writes: updates, deletes and creates on both sides of the page boundary.
      await b.update('/pods/12', 'changed');
      await b.delete('/pods/15');
      await b.delete('/pods/03');
      await b.create('/pods/105', 'new');
      await b.create('/pods/99', 'new');
      const pages = [first.items];
      let last = first;
      while (last.more) {
        const startAfter = last.items.at(-1)!.key;
        last = await b.list('/pods/', { revision: pinned, limit: 10, startAfter });
        assert.equal(last.revision, pinned);
        pages.push(last.items);
      }
      const all = pages.flat();
      assert.equal(all.length, 25);
      assert.deepEqual(
        all.map((kv) => kv.value),
        Array.from({ length: 25 }, (_, i) => `v${i}`),
      );
      assert.deepEqual(
        pages.map((p) => p.length),
        [10, 10, 5],
      );
      const now = await b.list('/pods/');
      assert.equal(now.items.length, 25);
      assert.equal(now.items.find((kv) => kv.key === '/pods/12')?.value, 'changed');
      const exact = await b.list('/pods/', { revision: pinned, limit: 25 });
      assert.equal(exact.more, false);
      await assert.rejects(b.list('/pods/', { revision: pinned + 100 }), FutureRevisionError);
    });

    it('watch replays history then goes live, with prevKv for updates and deletes', async (b) => {
      await b.create('/w/a', 'a1');
      await b.create('/x/other', 'x');
      await b.update('/w/a', 'a2');
      const w = await record(b, '/w/', 0);
      assert.deepEqual(w.revisions(), [1, 3]);
      await b.delete('/w/a');
      await b.create('/w/b', 'b1');
      await b.create('/x/more', 'x');
      assert.deepEqual(w.revisions(), [1, 3, 4, 5]);
      assert.deepEqual(
        w.events.map((e) => e.type),
        ['create', 'update', 'delete', 'create'],
      );
      assert.equal(w.events[0].prevKv, undefined);
      assert.deepEqual(w.events[1].prevKv, { key: '/w/a', value: 'a1', createRevision: 1, modRevision: 1 });
      assert.deepEqual(w.events[2].kv, { key: '/w/a', value: 'a2', createRevision: 1, modRevision: 4 });
      assert.deepEqual(w.events[2].prevKv, { key: '/w/a', value: 'a2', createRevision: 1, modRevision: 3 });
      const fromHistory = await record(b, '/w/', 1);
      assert.deepEqual(fromHistory.events, w.events.slice(1), 'replayed events equal live ones');
      w.watch.close();
      await b.create('/w/c', 'c1');
      assert.deepEqual(w.revisions(), [1, 3, 4, 5]);
      assert.deepEqual(fromHistory.revisions(), [3, 4, 5, 7]);
      fromHistory.watch.close();
    });

    it('watches from any revision see every later event exactly once, in order, under concurrent writes', async (b) => {
      const writers = Array.from({ length: 4 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 150; i++) {
            const key = `/c/${w}/${i % 10}`;
            const live = await b.get(key);
            if (!live) await b.create(key, `${i}`);
            else if (i % 3 === 0) await b.delete(key, live.modRevision);
            else await b.update(key, `${i}`, live.modRevision);
            if (i % 7 === 0) await tick();
          }
        })(),
      );
      const watchers: { after: number; prefix: string; rec: Awaited<ReturnType<typeof record>> }[] = [];
      const opener = (async () => {
        for (let i = 0; i < 30; i++) {
          await tick();
          const current = await b.currentRevision();
          const after = i % 3 === 0 ? current : Math.floor(current / 2);
          const prefix = i % 2 === 0 ? '/c/' : `/c/${i % 4}/`;
          watchers.push({ after, prefix, rec: await record(b, prefix, after) });
        }
      })();
      await Promise.all([...writers, opener]);
      const final = await b.currentRevision();
      assert.equal(final, 600);
      const truth = await record(b, '/c/', 0);
      assert.deepEqual(
        truth.revisions(),
        Array.from({ length: 600 }, (_, i) => i + 1),
      );
      for (const { after, prefix, rec } of watchers) {
        const expected = truth.events.filter((e) => e.kv.modRevision > after && e.kv.key.startsWith(prefix));
        assert.deepEqual(rec.events, expected, `watch ${prefix} after ${after}`);
        rec.watch.close();
      }
      truth.watch.close();
    });

    it('keeps order when a watch callback writes or opens another watch', async (b) => {
      const seen: number[] = [];
      const nested: number[] = [];
      let opened = false;
      await b.watch('/r/', { afterRevision: 0 }, (e) => {
        if (e.kv.key === '/r/trigger') void b.create('/r/echo', 'x');
      });
      await b.watch('/r/', { afterRevision: 0 }, (e) => {
        seen.push(e.kv.modRevision);
        if (!opened) {
          opened = true;
          void b.watch('/r/', { afterRevision: 0 }, (n) => nested.push(n.kv.modRevision));
        }
      });
      await b.create('/r/trigger', 'x');
      await b.create('/r/after', 'x');
      assert.deepEqual(seen, [1, 2, 3]);
      assert.deepEqual(nested, [1, 2, 3]);
    });

    it('a throwing watch callback closes only that watch', async (b) => {
      const warnings: string[] = [];
      const onWarning = (w: Error) => warnings.push(w.message);
      process.on('warning', onWarning);
      try {
        await b.watch('/t/', { afterRevision: 0 }, () => {
          throw new Error('boom');
        });
        const ok = await record(b, '/t/', 0);
        await b.create('/t/a', 'x');
        await b.create('/t/b', 'x');
        assert.deepEqual(ok.revisions(), [1, 2]);
        await tick();
        assert.ok(warnings.some((w) => w.includes('boom')));
      } finally {
        process.off('warning', onWarning);
      }
    });

    it('compaction keeps each key’s latest live version; older revisions fail with CompactedError', async (b) => {
      await b.create('/k/a', 'a1'); // 1
      await b.create('/k/b', 'b1'); // 2
      await b.update('/k/a', 'a2'); // 3
      await b.create('/k/c', 'c1'); // 4
      await b.delete('/k/b'); // 5
      await b.update('/k/a', 'a3'); // 6
      const before = await b.list('/k/', { revision: 4 });
      await b.compact(4);
      assert.equal(await b.compactedRevision(), 4);
      await assert.rejects(b.list('/k/', { revision: 3 }), CompactedError);
      const err = await b.watch('/k/', { afterRevision: 3 }, () => {}).catch((e) => e);
      assert.ok(err instanceof CompactedError);
      assert.deepEqual([err.requested, err.compacted], [3, 4]);
      assert.deepEqual(await b.list('/k/', { revision: 4 }), before);
      assert.deepEqual(
        (await b.list('/k/')).items.map((kv) => kv.value),
        ['a3', 'c1'],
      );
      const w = await record(b, '/k/', 4);
      assert.deepEqual(w.revisions(), [5, 6]);
      assert.equal(w.events[0].prevKv?.value, 'b1');
      assert.equal(w.events[1].prevKv?.value, 'a2', 'the version replaced after the compaction point is kept');
      w.watch.close();
      await b.compact(6);
      assert.deepEqual(await b.list('/k/', { revision: 6 }), await b.list('/k/'));
      assert.deepEqual(keysOf((await b.list('/k/', { revision: 6 })).items), ['/k/a', '/k/c']);
      assert.equal(await b.count('/k/'), 2);
      await b.compact(2); // at or below the compacted revision: nothing to do
      assert.equal(await b.compactedRevision(), 6);
      await assert.rejects(b.compact(7), FutureRevisionError);
      await b.update('/k/c', 'c2', 4);
      assert.equal(await b.currentRevision(), 7);
    });

    it('compaction drops the history a long run of updates left behind', async (b) => {
      for (let i = 0; i < 3000; i++) await b.update('/h/key', `${i}`).catch(() => b.create('/h/key', `${i}`));
      for (let i = 0; i < 50; i++) await b.create(`/h/gone/${i}`, 'x');
      for (let i = 0; i < 50; i++) await b.delete(`/h/gone/${i}`);
      const current = await b.currentRevision();
      await b.compact(current);
      const w = await record(b, '/h/', current);
      assert.deepEqual(w.events, []);
      assert.deepEqual(
        (await b.list('/h/')).items.map((kv) => kv.value),
        ['2999'],
      );
      await b.create('/h/gone/1', 'back');
      assert.deepEqual(w.revisions(), [current + 1]);
      w.watch.close();
    });

    it('fails every call after close', async (b) => {
      const other = await make();
      await other.close();
      await assert.rejects(other.get('/a'), StoreError);
      await assert.rejects(other.create('/a', 'x'), StoreError);
      await other.close();
      assert.equal(await b.get('/a'), undefined);
    });

    if (reopen) {
      test('reopening finds every key, the compacted revision, and continues the revision', async () => {
        let b = await make();
        try {
          await b.create('/re/a', 'a');
          await b.create('/re/b', 'b');
          await b.update('/re/a', 'a2');
          await b.delete('/re/b');
          await b.compact(4); // the last write is a delete, so no row at revision 4 is left
          b = await reopen(b);
          assert.equal(await b.currentRevision(), 4);
          assert.equal(await b.compactedRevision(), 4);
          assert.deepEqual(await b.get('/re/a'), { key: '/re/a', value: 'a2', createRevision: 1, modRevision: 3 });
          const w = await record(b, '/re/', 4);
          assert.equal((await b.create('/re/b', 'b2')).modRevision, 5);
          assert.deepEqual(w.revisions(), [5]);
          await assert.rejects(b.list('/re/', { revision: 3 }), CompactedError);
          b = await reopen(b);
          assert.equal(await b.currentRevision(), 5);
          assert.equal(await b.count('/re/'), 2);
        } finally {
          await b.close();
        }
      });
    }
  });
}
