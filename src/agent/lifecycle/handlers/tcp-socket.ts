// The tcpSocket handler: a TCP connection to the port within the timeout passes, as the kubelet's tcp prober.
import { type Dial, directDial } from './dial.js';
import { dialError, failure, hostPort, type Outcome, success } from './outcome.js';

export async function tcpSocket(
  host: string,
  port: number,
  timeoutMs: number,
  dial: Dial = directDial,
): Promise<Outcome> {
  try {
    const socket = await dial(host, port, timeoutMs);
    socket.destroy();
    return success();
  } catch (error) {
    return failure(dialError(hostPort(host, port), error));
  }
}
