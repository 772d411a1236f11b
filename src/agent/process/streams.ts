// kubectl exec/attach/port-forward on the process runtime: the CRI's Exec, Attach and PortForward calls, which
// answer with a one-time URL on containerd's stream server (127.0.0.1, see engine/containerd/config.ts).
import type { StreamRequest } from '../driver.js';
import type { CriClient } from '../engine/cri/client.js';

const bare = (id: string) => id.replace(/^containerd:\/\//, '');

export async function streamUrlOf(
  cri: CriClient,
  request: StreamRequest,
  sandboxOf: (podUid: string) => string | undefined,
): Promise<string> {
  switch (request.verb) {
    case 'exec':
      return cri.exec({
        containerId: bare(request.containerId),
        cmd: request.command,
        tty: request.tty,
        stdin: request.stdin,
        stdout: request.stdout,
        stderr: request.stderr && !request.tty,
      });
    case 'attach':
      return cri.attach({
        containerId: bare(request.containerId),
        tty: request.tty,
        stdin: request.stdin,
        stdout: request.stdout,
        stderr: request.stderr && !request.tty,
      });
    case 'portforward': {
      const sandbox = sandboxOf(request.podUid);
      if (!sandbox) throw new Error(`pod sandbox of pod ${request.podUid} not found`);
      return cri.portForward(sandbox, request.ports);
    }
  }
}
