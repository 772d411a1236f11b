// Which simulated commands finish, when, with which exit code, and whether PID 1 ignores SIGTERM.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { programOf } from './commands.js';
import { defaultSimulatedTimings } from './timings.js';

const timings = { ...defaultSimulatedTimings, computeMs: 4000 };
const forever = undefined;

const cases: [string, Record<string, unknown>, number | undefined, number, boolean][] = [
  // name, container, runsForMs, exitCode, ignoresSigterm
  ['true', { command: ['true'] }, 0, 0, false],
  ['false', { command: ['false'] }, 0, 1, false],
  ['bare exit N', { command: ['exit', '2'] }, 0, 2, false],
  ['sh -c exit N', { command: ['sh', '-c', 'exit 3'] }, 0, 3, true],
  ['sh -c sleep; exit', { command: ['/bin/sh', '-c', 'sleep 2; exit 1'] }, 2000, 1, true],
  ['sh -c echo && sleep', { command: ['sh', '-c', 'echo hi && sleep 1.5'] }, 1500, 0, true],
  ['&& skips after a failure', { command: ['sh', '-c', 'false && sleep 9'] }, 0, 1, true],
  ['|| runs after a failure', { command: ['sh', '-c', 'false || exit 4'] }, 0, 4, true],
  ['sleep N', { command: ['sleep', '5'] }, 5000, 0, true],
  ['sleep with units', { command: ['sleep', '1m', '2s'] }, 62_000, 0, true],
  ['sleep infinity', { command: ['sleep', 'infinity'] }, forever, 0, true],
  ['echo', { command: ['echo', 'hello', 'world'] }, 0, 0, false],
  ['date', { command: ['date'] }, 0, 0, false],
  ['the Job example', { command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] }, 4000, 0, true],
  ['image entrypoint (nginx)', { image: 'nginx' }, forever, 0, false],
  ['args to an image entrypoint', { image: 'nginx:1.27', args: ['-g', 'daemon off;'] }, forever, 0, false],
  ['busybox default sh, no stdin', { image: 'busybox' }, 0, 0, true],
  ['busybox default sh with stdin', { image: 'busybox:1.36', stdin: true }, forever, 0, true],
  ['busybox args replace its command', { image: 'busybox', args: ['sleep', '10'] }, 10_000, 0, true],
  ['while true loop', { command: ['sh', '-c', 'while true; do echo tick; sleep 5; done'] }, forever, 0, true],
  ['for loop', { command: ['sh', '-c', 'for i in 1 2 3; do echo $i; sleep 1; done'] }, 3000, 0, true],
  ['if/else', { command: ['/bin/sh', '-ec', 'if [ -f /x ]; then exit 2; else exit 5; fi'] }, 0, 2, true],
  ['lone server command is exec-ed', { command: ['sh', '-c', 'nginx -g "daemon off;"'] }, forever, 0, false],
  ['lone sleep is exec-ed', { command: ['bash', '-c', 'exec sleep 3'] }, 3000, 0, true],
  [
    'trap TERM installs a handler',
    { command: ['sh', '-c', 'trap "exit 0" TERM; sleep 100 & wait'] },
    forever,
    0,
    false,
  ],
  ['tail -f', { command: ['tail', '-f', '/dev/null'] }, forever, 0, true],
  ['background then finite', { command: ['sh', '-c', 'nginx & sleep 2'] }, 2000, 0, true],
  ['env assignments', { command: ['sh', '-c', 'A=1 B=2 sleep 1; echo done'] }, 1000, 0, true],
  ['python -c', { command: ['python3', '-c', 'print(1)'] }, 4000, 0, true],
  ['unknown program', { command: ['/app/server', '--port', '8080'] }, forever, 0, false],
];

for (const [name, container, runsForMs, exitCode, ignoresSigterm] of cases) {
  it(name, () => {
    const {
      runsForMs: ms,
      exitCode: code,
      ignoresSigterm: ignores,
    } = programOf({ image: 'example.com/app:1', ...container }, timings);
    const program = { ...(ms === undefined ? {} : { runsForMs: ms }), exitCode: code, ignoresSigterm: ignores };
    assert.deepEqual(program, { ...(runsForMs === undefined ? {} : { runsForMs }), exitCode, ignoresSigterm });
  });
}
