// The tcpSocket handler: a TCP connection to the port within the timeout passes, as the kubelet's tcp prober.
import { connect } from 'node:net';
import { dialError, failure, hostPort, type Outcome, success } from './outcome.js';

export function tcpSocket(host: string, port: number, timeoutMs: number): Promise<Outcome> {
  const address = hostPort(host, port);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (outcome: Outcome) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done(failure(`dial tcp ${address}: i/o timeout`)));
    socket.once('connect', () => done(success()));
    socket.once('error', (error) => done(failure(dialError(address, error))));
  });
}
