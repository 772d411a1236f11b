// The kube API inside the VPC: a second listener of the same HTTPS server on the host end of the host link (the
// `kubernetes` Service's endpoint, which the service proxy DNATs 10.100.0.1:443 to). The address sits on the
// host's side of a veth whose other end is the VPC namespace; connections from anywhere but the VPC CIDR, the link
// itself and loopback are closed, so the API is no more exposed than on 127.0.0.1.
import { createServer, type Server } from 'node:net';
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
  const server = createServer((socket) => {
    if (!allowed(socket.remoteAddress)) return socket.destroy();
    api.emit('connection', socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve());
  });
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
