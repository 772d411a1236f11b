// Starts a real `bin/skiff up` on free ports in a temp data dir for end-to-end tests, and runs the real kubectl
// against it with a fresh discovery cache. `stop` ends the process by its PID and removes the data dir.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const repoRoot = new URL('../../../', import.meta.url).pathname;
export const skiffBin = join(repoRoot, 'bin', 'skiff');

export interface SkiffProcess {
  dataDir: string;
  kubeconfig: string;
  kubeEndpoint: string;
  eksEndpoint: string;
  token: string;
  caCert: string;
  child: ChildProcess;
  kubectl(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** `skiff image import <source> --data-dir D` (an OCI layout or archive); throws with its stderr if it fails. */
  importImage(source: string): Promise<void>;
  restart(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as any).code ?? 1) : 0, stdout, stderr }),
    );
    if (options.input !== undefined) child.stdin!.end(options.input);
  });
}

/** The file's JSON, or undefined while it is missing or not whole. */
function readJson(path: string): any {
  try {
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
  } catch {
    return undefined;
  }
}

async function launch(dataDir: string, extraArgs: string[]): Promise<{ child: ChildProcess; info: any }> {
  const runtimeFile = join(dataDir, 'skiff.json');
  rmSync(runtimeFile, { force: true });
  const args = ['up', '--data-dir', dataDir, '--port', '0', '--eks-port', '0', '--no-merge-kubeconfig', ...extraArgs];
  const child = spawn(skiffBin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SKIFF_DEBUG: '1' } });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const info = readJson(runtimeFile);
    if (info?.pid) return { child, info };
    if (child.exitCode !== null) throw new Error(`skiff up exited with ${child.exitCode}: ${output}`);
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`skiff up did not become ready: ${output}`);
}

async function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once('exit', resolve));
}

/**
 * Every real-runtime cluster routes the same default VPC (10.0.0.0/16) and Service CIDR from this host, and the last
 * one started takes those host routes. Test files run two at a time, so clusters that run pods for real hold this
 * lock (a directory, made atomically) from start to stop; simulated ones run side by side.
 */
const vpcLock = join(tmpdir(), 'skiff-e2e-vpc.lock');

const runsRealPods = (args: string[]) => {
  const at = args.indexOf('--runtime');
  return at < 0 ? process.getuid?.() === 0 : args[at + 1] !== 'simulated';
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function takeVpcLock(): Promise<() => void> {
  for (;;) {
    try {
      mkdirSync(vpcLock);
      writeFileSync(join(vpcLock, 'pid'), String(process.pid));
      return () => rmSync(vpcLock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // The holder writes its pid just after making the dir: a dir without one for long was left half made.
      let holder = 0;
      let age = 0;
      try {
        age = Date.now() - statSync(vpcLock).mtimeMs;
        holder = Number(readFileSync(join(vpcLock, 'pid'), 'utf8') || 0);
      } catch {}
      if ((holder && !alive(holder)) || (!holder && age > 10_000)) rmSync(vpcLock, { recursive: true, force: true });
      else await sleep(200);
    }
  }
}

export async function startSkiff(extraArgs: string[] = []): Promise<SkiffProcess> {
  const release = runsRealPods(extraArgs) ? await takeVpcLock() : () => {};
  try {
    return await startSkiffHolding(extraArgs, release);
  } catch (error) {
    release();
    throw error;
  }
}

async function startSkiffHolding(extraArgs: string[], release: () => void): Promise<SkiffProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-e2e-'));
  const cacheDir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-cache-'));
  let { child, info } = await launch(dataDir, extraArgs);
  const kubeconfig = join(dataDir, 'kubeconfig');
  const skiff: SkiffProcess = {
    dataDir,
    kubeconfig,
    kubeEndpoint: info.kubeEndpoint,
    eksEndpoint: info.eksEndpoint,
    token: readFileSync(join(dataDir, 'pki', 'admin.token'), 'utf8').trim(),
    caCert: readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8'),
    child,
    kubectl: (args, input) =>
      run('kubectl', ['--cache-dir', cacheDir, ...args], { env: { KUBECONFIG: kubeconfig }, input }),
    async importImage(source) {
      const imported = await run(skiffBin, ['image', 'import', source, '--data-dir', dataDir]);
      if (imported.code !== 0) throw new Error(`skiff image import ${source}: ${imported.stderr}`);
    },
    async restart() {
      ({ child, info } = await launch(dataDir, [...extraArgs]));
      Object.assign(skiff, { child, kubeEndpoint: info.kubeEndpoint, eksEndpoint: info.eksEndpoint });
      rmSync(cacheDir, { recursive: true, force: true });
    },
    async kill(signal = 'SIGKILL') {
      child.kill(signal);
      await waitExit(child);
    },
    async stop() {
      child.kill('SIGTERM');
      await waitExit(child);
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(cacheDir, { recursive: true, force: true });
      release();
    },
  };
  return skiff;
}
