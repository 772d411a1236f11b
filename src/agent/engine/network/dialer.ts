// Connections into the VPC from the agent without the host's routing table: a small Node process inside the VPC
// namespace listens on a unix socket (D/containerd/vpc-dialer.sock; unix sockets cross network namespaces) and,
// per connection, reads "<host> <port>\n", dials it from inside the VPC, answers "OK\n" or "ERR <code>\n", then pipes
// both ways. Probes and hooks reach pods this way even when another Skiff on the host owns the VPC CIDR's route.
// It exits when the agent does (its stdin closes).
import { type ChildProcess, spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';

const helper = String.raw`
const net = require('net'); const fs = require('fs');
const path = process.argv[1];
try { fs.unlinkSync(path); } catch {}
const server = net.createServer((client) => {
  let buf = Buffer.alloc(0);
  client.on('error', () => {});
  const onData = (d) => {
    buf = Buffer.concat([buf, d]);
    const nl = buf.indexOf(10);
    if (nl < 0) { if (buf.length > 512) client.destroy(); return; }
    client.off('data', onData);
    client.pause();
    const [host, port] = buf.subarray(0, nl).toString().split(' ');
    const rest = buf.subarray(nl + 1);
    const target = net.connect({ host, port: Number(port) });
    let connected = false;
    target.once('connect', () => {
      connected = true;
      client.write('OK\n');
      if (rest.length) target.write(rest);
      client.pipe(target);
      target.pipe(client);
      client.resume();
    });
    target.on('error', (e) => {
      if (!connected) client.end('ERR ' + (e.code || 'EIO') + '\n');
      else client.destroy();
    });
    client.on('close', () => target.destroy());
  };
  client.on('data', onData);
});
server.listen(path, () => { fs.chmodSync(path, 0o600); process.stdout.write('ready\n'); });
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

export class VpcDialer {
  private child?: ChildProcess;
  private ready?: Promise<void>;

  constructor(
    /** The named network namespace to dial from; "" dials from the agent's own (tests). */
    private netns: string,
    private socketPath: string,
  ) {}

  start(): Promise<void> {
    this.ready ??= new Promise<void>((resolve, reject) => {
      const node = [process.execPath, '-e', helper, this.socketPath];
      const [file, ...args] = this.netns ? ['ip', 'netns', 'exec', this.netns, ...node] : node;
      const child = spawn(file!, args, {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      this.child = child;
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the VPC dialer exited with ${code}`)));
      child.stdout!.once('data', () => resolve());
    });
    return this.ready;
  }

  /** A socket connected to host:port from inside the VPC; rejects with the dial's error code (ECONNREFUSED…). */
  async dial(host: string, port: number, timeoutMs: number): Promise<Socket> {
    await this.start();
    return new Promise((resolve, reject) => {
      const socket = connect(this.socketPath);
      let answer = Buffer.alloc(0);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      const timer = setTimeout(() => fail(Object.assign(new Error('i/o timeout'), { code: 'ETIMEDOUT' })), timeoutMs);
      socket.once('connect', () => socket.write(`${host} ${port}\n`));
      socket.on('error', fail);
      const onEnd = () => fail(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' }));
      socket.once('end', onEnd);
      // Read the answer with 'readable' (not 'data'), so the socket is handed over neither flowing nor paused: the
      // consumer's first 'data' listener starts the flow and nothing the pod sends early is lost.
      const onReadable = () => {
        for (let chunk = socket.read(); chunk !== null; chunk = socket.read()) {
          answer = Buffer.concat([answer, chunk]);
          const nl = answer.indexOf(10);
          if (nl < 0) continue;
          socket.off('readable', onReadable);
          socket.off('error', fail);
          socket.off('end', onEnd);
          clearTimeout(timer);
          const line = answer.subarray(0, nl).toString();
          const rest = answer.subarray(nl + 1);
          if (line !== 'OK') {
            const code = line.replace(/^ERR /, '');
            socket.destroy();
            reject(Object.assign(new Error(code), { code }));
            return;
          }
          if (rest.length) socket.unshift(rest);
          resolve(socket);
          return;
        }
      };
      socket.on('readable', onReadable);
    });
  }

  stop(): void {
    this.child?.stdin?.end();
    this.child?.kill();
  }
}
