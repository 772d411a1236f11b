// Runs containerd with Skiff's config (in the host's network namespace, or the one given), waits until its CRI answers, restarts it with
// back-off whenever it dies (its shims, and so the pods, keep running meanwhile), and stops it on request.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { CriClient } from '../cri/client.js';
import type { EnginePaths } from '../paths.js';

export interface SupervisorOptions {
  paths: EnginePaths;
  /** Network namespace to run containerd in; the host's when absent. */
  netnsPath?: string;
  containerdBinary?: string;
  readyTimeoutMs?: number;
  /** Called after containerd died and is serving again. */
  onRestart?: (info: { pid: number; restarts: number; exit: string }) => void;
  /** Called when containerd died and could not be brought back. */
  onError?: (error: Error) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < until) await sleep(20);
  return !alive(pid);
}

export class ContainerdSupervisor {
  private child?: ChildProcess;
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;
  private lastStart = 0;
  private backoffMs = 200;
  restarts = 0;

  constructor(private readonly options: SupervisorOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Kills a containerd a previous run of this data dir left behind (its pid file names it and it uses our config). */
  private async killStale(): Promise<void> {
    const { pidFile, config } = this.options.paths;
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8'));
    if (pid > 0 && alive(pid) && cmdlineOf(pid).includes(config)) {
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 5000);
    }
    rmSync(pidFile, { force: true });
  }

  async start(): Promise<void> {
    this.stopping = false;
    await this.killStale();
    await this.spawnAndWait();
  }

  private async spawnAndWait(): Promise<void> {
    const { paths, netnsPath, containerdBinary = 'containerd' } = this.options;
    rmSync(paths.socket, { force: true });
    const log = openSync(paths.log, 'a');
    const command = [containerdBinary, '--config', paths.config];
    if (netnsPath) command.unshift('nsenter', `--net=${netnsPath}`, '--');
    const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', log, log] });
    closeSync(log);
    this.child = child;
    this.lastStart = Date.now();
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
      child.once('error', (error) => resolve(error.message));
    });
    exited.then((how) => this.onExit(child, how));
    if (child.pid) writeFileSync(paths.pidFile, String(child.pid));
    await this.waitReady(exited);
  }

  private async waitReady(exited: Promise<string>): Promise<void> {
    const { paths, readyTimeoutMs = 20_000 } = this.options;
    let died: string | undefined;
    exited.then((how) => {
      died = how;
    });
    const until = Date.now() + readyTimeoutMs;
    const client = new CriClient(paths.socket, { timeoutMs: 1000 });
    try {
      while (Date.now() < until) {
        if (died) throw new Error(`containerd exited during start (${died}); see ${paths.log}`);
        if (existsSync(paths.socket)) {
          try {
            await client.version();
            return;
          } catch {}
        }
        await sleep(25);
      }
      throw new Error(`containerd did not answer on ${paths.socket} within ${readyTimeoutMs} ms; see ${paths.log}`);
    } finally {
      client.close();
    }
  }

  private onExit(child: ChildProcess, how: string): void {
    if (this.child !== child || this.stopping) return;
    this.child = undefined;
    if (Date.now() - this.lastStart > 60_000) this.backoffMs = 200;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 5000);
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.spawnAndWait().then(
        () => {
          this.restarts++;
          this.options.onRestart?.({ pid: this.child?.pid ?? 0, restarts: this.restarts, exit: how });
        },
        (error: Error) => this.options.onError?.(error),
      );
    }, delay);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once containerd is gone. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const pid = this.child?.pid;
    this.child = undefined;
    if (pid && alive(pid)) {
      process.kill(pid, 'SIGTERM');
      if (!(await waitForExit(pid, graceMs))) {
        process.kill(pid, 'SIGKILL');
        await waitForExit(pid, 5000);
      }
    }
    rmSync(this.options.paths.pidFile, { force: true });
  }
}
