// A child process for durability.test.ts: opens the SQLite store in the directory given as argv[2] and writes until
// killed, printing `<key> <revision>` for each write only once the store says it is durable (as the kube API answers
// only then).
import { SqliteBackend } from '../sqlite.js';

const store = SqliteBackend.open(process.argv[2]);
const start = await store.count('/durable/');
for (let i = start; ; i++) {
  const kv = await store.create(`/durable/${String(i).padStart(8, '0')}`, JSON.stringify({ i, pad: 'x'.repeat(200) }));
  await store.durable();
  process.stdout.write(`${kv.key} ${kv.modRevision}\n`); // synchronous for pipes on Linux
  if (i % 10 === 0) {
    const counter = await store.get('/counter');
    const next = counter
      ? await store.update('/counter', String(i), counter.modRevision)
      : await store.create('/counter', String(i));
    await store.durable();
    process.stdout.write(`${next.key} ${next.modRevision}\n`);
  }
}
