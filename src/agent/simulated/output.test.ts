// What simulated containers print: known commands' output and when, loops, variables, the Job example's π,
// nginx's banner; and the log store's tail, since, timestamps, follow and bounds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bannerOf, nginxTime, nginxTimeMark } from './banners.js';
import { programOf } from './commands.js';
import { LogStore } from './log-store.js';
import { dateText, printf, renderLine } from './printed.js';
import { defaultSimulatedTimings } from './timings.js';

const timings = { ...defaultSimulatedTimings, computeMs: 4000 };
const printed = (container: Record<string, unknown>) =>
  programOf({ image: 'busybox', ...container }, timings, 'pod-1').output.map((l) => [l.ms, l.text]);

describe('simulated output', () => {
  it('echo and sh -c with sleeps print at their times', () => {
    assert.deepEqual(printed({ command: ['echo', 'hello', 'world'] }), [[0, 'hello world']]);
    assert.deepEqual(printed({ command: ['sh', '-c', 'echo start; sleep 2; echo "done  now"'] }), [
      [0, 'start'],
      [2000, 'done  now'],
    ]);
  });

  it('for loops bind their variable; && and || decide what runs', () => {
    assert.deepEqual(printed({ command: ['sh', '-c', 'for i in 1 2 3; do echo "n=$i"; sleep 1; done'] }), [
      [0, 'n=1'],
      [1000, 'n=2'],
      [2000, 'n=3'],
    ]);
    assert.deepEqual(printed({ command: ['sh', '-c', 'false && echo no || echo yes; exit 3; echo never'] }), [
      [0, 'yes'],
    ]);
  });

  it('env values, $(VAR) in args, $HOSTNAME and printf', () => {
    const env = [{ name: 'GREETING', value: 'hi' }];
    assert.deepEqual(printed({ command: ['echo', '$(GREETING)', '$$x'], env }), [[0, 'hi $x']]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell script, not a template
    assert.deepEqual(printed({ command: ['sh', '-c', 'echo $GREETING from ${HOSTNAME}'], env }), [
      [0, 'hi from pod-1'],
    ]);
    assert.deepEqual(printed({ command: ['printf', '%s-%d\\n', 'a', '1', 'b', '2'] }), [
      [0, 'a-1'],
      [0, 'b-2'],
    ]);
    assert.equal(printf('%5s|%-3s|%%', ['ab', 'c']), '   ab|c  |%');
  });

  it('date is written when printed', () => {
    const [[, text]] = printed({ command: ['date'] }) as [number, string][];
    const now = new Date('2025-03-04T05:06:07Z');
    assert.equal(renderLine(text, now), 'Tue Mar  4 05:06:07 UTC 2025');
    assert.equal(dateText(now), 'Tue Mar  4 05:06:07 UTC 2025');
  });

  it("the Job example prints π to 2000 digits when it's done", () => {
    const program = programOf(
      { image: 'perl:5.34', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] },
      timings,
    );
    assert.equal(program.output.length, 1);
    const [line] = program.output;
    assert.equal(line.ms, 4000);
    assert.equal(line.text.length, 2001);
    assert.match(line.text, /^3\.14159265358979323846264338327950288419716939937510/);
    assert.match(line.text, /80275901$/);
  });

  it('a never-ending loop repeats its lines every period; a server prints nothing it is not known for', () => {
    const program = programOf({ command: ['sh', '-c', 'echo up; while true; do echo tick; sleep 5; done'] }, timings);
    assert.equal(program.runsForMs, undefined);
    assert.deepEqual(program.output, [{ ms: 0, text: 'up' }]);
    assert.deepEqual(program.repeat, { startMs: 0, periodMs: 5000, lines: [{ ms: 0, text: 'tick' }] });
    assert.deepEqual(printed({ image: 'example.com/app:1', command: ['/app/server'] }), []);
  });

  it("nginx prints its entrypoint's lines and notices when it runs its own command", () => {
    const banner = bannerOf({ image: 'nginx:1.27.3' }, true).map((l) =>
      renderLine(l.text, new Date(0), { [nginxTimeMark]: nginxTime }),
    );
    assert.equal(
      banner[0],
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    );
    assert.ok(banner.includes('/docker-entrypoint.sh: Configuration complete; ready for start up'));
    assert.ok(banner.includes('1970/01/01 00:00:00 [notice] 1#1: nginx/1.27.3'));
    assert.ok(banner.includes('1970/01/01 00:00:00 [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1024:65535'));
    assert.deepEqual(bannerOf({ image: 'nginx', command: ['sleep', '1'] }, false), []);
    assert.deepEqual(bannerOf({ image: 'busybox' }, false), []);
  });
});

describe('log store', () => {
  const read = async (store: LogStore, id: string, options = {}) => {
    let out = '';
    for await (const chunk of store.read(id, options)) out += chunk;
    return out;
  };

  it('tail, since and timestamps', async () => {
    const store = new LogStore();
    store.open('c1');
    store.append('c1', 'one', new Date(1000));
    store.append('c1', 'two', new Date(2000));
    store.append('c1', 'three', new Date(3000));
    assert.equal(await read(store, 'c1'), 'one\ntwo\nthree\n');
    assert.equal(await read(store, 'c1', { tailLines: 2 }), 'two\nthree\n');
    assert.equal(await read(store, 'c1', { tailLines: 0 }), '');
    assert.equal(await read(store, 'c1', { sinceMs: 2000 }), 'two\nthree\n');
    assert.match(
      await read(store, 'c1', { tailLines: 1, timestamps: true }),
      /^1970-01-01T00:00:03\.000\d{6}Z three\n$/,
    );
    assert.equal(await read(store, 'unknown'), '');
  });

  it('follow streams new lines and ends with the instance', async () => {
    const store = new LogStore();
    store.open('c1');
    store.append('c1', 'before');
    const chunks: string[] = [];
    const reading = (async () => {
      for await (const chunk of store.read('c1', { follow: true })) chunks.push(chunk);
    })();
    await new Promise((r) => setImmediate(r));
    store.append('c1', 'after');
    store.end('c1');
    store.append('c1', 'ignored');
    await reading;
    assert.deepEqual(chunks, ['before\n', 'after\n']);
  });

  it('keeps each instance and the whole store within bounds', async () => {
    const store = new LogStore({ instanceBytes: 10, totalBytes: 100, instances: 2 });
    store.open('a');
    for (const text of ['1234', '5678', 'abcd']) store.append('a', text);
    assert.equal(await read(store, 'a'), '5678\nabcd\n');
    store.end('a');
    store.open('b');
    store.open('c');
    assert.equal(store.has('a'), false);
    assert.equal(store.has('c'), true);
  });
});
