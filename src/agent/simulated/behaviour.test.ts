import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSimulatedBehaviour, simulatedBehaviour } from './behaviour.js';

test('the shipped data gives the banners, fixed answers and π', () => {
  const behaviour = simulatedBehaviour();
  assert.ok(behaviour.banners.nginx!.lines.length > 10);
  assert.equal(behaviour.commands.whoami, 'root');
  assert.equal(behaviour.pi(1), '3');
  assert.equal(behaviour.pi(6), '3.14159');
  assert.equal(behaviour.pi(7), '3.141593');
  assert.equal(behaviour.pi(10_000)!.length, 10_001);
  assert.equal(behaviour.pi(20_000), undefined);
});

test('a data file with an unknown key or a wrong type is refused', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-behaviour-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'pi.txt'), '314159\n');
  const write = (text: string) => {
    writeFileSync(join(dir, 'b.yaml'), text);
    return join(dir, 'b.yaml');
  };
  assert.throws(() => loadSimulatedBehaviour(write('piDigits: pi.txt\nbanner: {}\n')), /unknown key "banner"/);
  assert.throws(
    () => loadSimulatedBehaviour(write('piDigits: pi.txt\ncommands: {whoami: [root]}\n')),
    /must be a string/,
  );
  assert.throws(
    () => loadSimulatedBehaviour(write('piDigits: pi.txt\nbanners: {nginx: {lines: []}}\n')),
    /banners\.nginx\.defaultVersion/,
  );
  const ok = loadSimulatedBehaviour(write('piDigits: pi.txt\ncommands: {id: "uid=0(root)"}\n'));
  assert.equal(ok.pi(3), '3.14');
  assert.equal(ok.commands.id, 'uid=0(root)');
});
