// The kube API inside the VPC: a second listener of the same HTTPS server on the host end of the host link (the
// `kubernetes` Service's endpoint, which the service proxy DNATs 10.100.0.1:443 to). The address sits on the
// host's side of a veth whose other end is the VPC namespace; connections from anywhere but the VPC CIDR, the link
// itself and loopback are closed, so the API is no more exposed than on 127.0.0.1.
import { createServer, type Server, type Socket } from 'node:net';
import { contains, parseCidr } from '../../agent/engine/network/cidr.js';

export interface VpcListener {
  close(): Promise<void>;
}

export async function listenInVpc(api: Server, address: string, port: number, vpcCidr: string): Promise<VpcListener> {
  const sources = [parseCidr(vpcCidr), parseCidr(`${address}/30`), parseCidr('127.0.0.0/8')];
  const allowed = (remote: string | undefined) => {
    const ip = remote?.replace(/^::ffff:/, '') ?? '';
    return /^\d+\.\d+\.\d+\.\d+$/.test(ip) && sources.some((cidr) => contains(cidr, ip));
  };
  const open = new Set<Socket>();
  const server = createServer((socket) => {
    if (!allowed(socket.remoteAddress)) return socket.destroy();
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    api.emit('connection', socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve());
  });
  // Pods' watches (coredns') keep connections open while the pods run: closing ends them rather than waiting.
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}
