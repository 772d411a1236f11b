import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { checkPortFree } from './ports.js';

test('a port another process holds is refused with the flag that changes it', async () => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as { port: number }).port;
  try {
    await assert.rejects(
      checkPortFree({ host: '127.0.0.1', port, flag: '--port' }),
      new RegExp(`^Error: port ${port} on 127\\.0\\.0\\.1 is in use: pass --port or stop what holds it$`),
    );
  } finally {
    await new Promise((resolve) => holder.close(resolve));
  }
  await checkPortFree({ host: '127.0.0.1', port, flag: '--port' });
  await checkPortFree({ host: '127.0.0.1', port: 0, flag: '--port' });
});
