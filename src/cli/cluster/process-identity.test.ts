// A PID is Skiff's only while its command line and start time are the recorded ones: a stale D/skiff.json whose
// PID an unrelated `sleep` now holds is not a running instance, and `stopInstance` leaves that process alone.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { stopInstance } from '../commands/down.js';
import { isSameProcess, processIdentity } from './process-identity.js';
import { runningInstance } from './runtime-info.js';

it('tells the recorded process from another holding its PID', async () => {
  const own = processIdentity(process.pid)!;
  assert.match(own.cmdline, /node/);
  assert.ok(isSameProcess(process.pid, own));
  assert.equal(isSameProcess(process.pid, { ...own, startTime: '1' }), false);

  const dir = mkdtempSync(join(tmpdir(), 'skiff-pid-'));
  const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    const info = {
      pid: sleeper.pid,
      name: 'skiff',
      region: 'r',
      kubeEndpoint: '',
      eksEndpoint: '',
      kubeconfig: '',
      startedAt: '',
    };
    writeFileSync(join(dir, 'skiff.json'), JSON.stringify({ ...info, process: own }));
    assert.equal(runningInstance(join(dir, 'skiff.json')), undefined);
    assert.equal(await stopInstance(dir, 100), undefined);
    // Nothing recorded (a file from an older Skiff): a `sleep` does not look like `skiff up`.
    writeFileSync(join(dir, 'skiff.json'), JSON.stringify(info));
    assert.equal(runningInstance(join(dir, 'skiff.json')), undefined);
    assert.equal(await stopInstance(dir, 100), undefined);
    assert.equal(sleeper.exitCode, null);
    assert.equal(sleeper.signalCode, null);
  } finally {
    sleeper.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
