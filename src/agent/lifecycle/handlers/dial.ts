// How a handler opens a TCP connection to the pod: through the runtime's dialer when it has one (the process
// runtime dials from inside its VPC namespace), else straight from the agent to the pod's IP.
import { connect, type Socket } from 'node:net';

export type Dial = (host: string, port: number, timeoutMs: number) => Promise<Socket>;

export const directDial: Dial = (host, port, timeoutMs) =>
  new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error('i/o timeout'), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
