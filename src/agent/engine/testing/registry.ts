// Starts Debian's docker-registry for tests on 127.0.0.1 with its own config (never Debian's default, which listens
// on every interface), optionally behind htpasswd basic auth, and pushes OCI layouts into it with skopeo.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tagOf } from '../oci/layout.js';

export interface TestRegistry {
  host: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** An htpasswd line with a bcrypt hash (python3's crypt; Debian's python3 has it). */
function htpasswdLine(user: string, password: string): string {
  const hash = execFileSync('python3', [
    '-W',
    'ignore',
    '-c',
    'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))',
    password,
  ])
    .toString()
    .trim();
  return `${user}:${hash}\n`;
}

export async function startRegistry(dir: string, auth?: { user: string; password: string }): Promise<TestRegistry> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log: {level: error}',
    `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}, delete: {enabled: true}}`,
    `http: {addr: "127.0.0.1:${port}"}`,
  ];
  if (auth) {
    writeFileSync(join(dir, 'htpasswd'), htpasswdLine(auth.user, auth.password));
    lines.push(`auth: {htpasswd: {realm: skiff-test, path: ${join(dir, 'htpasswd')}}}`);
  }
  writeFileSync(join(dir, 'config.yml'), `${lines.join('\n')}\n`);
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  const host = `127.0.0.1:${port}`;
  const until = Date.now() + 10_000;
  for (;;) {
    const res = await fetch(`http://${host}/v2/`).catch(() => undefined);
    if (res && (res.status === 200 || res.status === 401)) break;
    if (Date.now() > until || child.exitCode !== null) throw new Error(`docker-registry did not start on ${host}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    host,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** Pushes the image `name` of the layout at `layoutDir` to `dest` (e.g. 127.0.0.1:5000/lab/busybox:1.36). */
export function pushImage(layoutDir: string, name: string, dest: string, creds?: string): void {
  const args = ['copy', '-q', '--dest-tls-verify=false', '--preserve-digests'];
  if (creds) args.push('--dest-creds', creds);
  execFileSync('skopeo', [...args, `oci:${layoutDir}:${tagOf(name)}`, `docker://${dest}`], { stdio: 'pipe' });
}
