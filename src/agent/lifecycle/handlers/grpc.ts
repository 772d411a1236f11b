// The grpc handler: grpc.health.v1.Health/Check on host:port for the probe's service name, as the kubelet's grpc
// prober calls it (plain text, the probe's timeout for connecting and for the call); SERVING passes. The call is
// made over node:http2 on a connection from the runtime's dialer; the two messages (one field each) are encoded by
// hand, so neither a .proto file nor a gRPC channel is needed.
import { connect as http2Connect } from 'node:http2';
import { goDuration } from '../../engine/images/events.js';
import { type Dial, directDial } from './dial.js';
import { probeUserAgent } from './http-get.js';
import { failure, hostPort, type Outcome, success } from './outcome.js';

const servingStatus = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];
/** gRPC status codes as Go's codes.Code prints them. */
const goCodes = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
];

const varint = (n: number): number[] => {
  const bytes: number[] = [];
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  bytes.push(n);
  return bytes;
};

/** HealthCheckRequest { string service = 1; } */
export function encodeRequest(service: string): Buffer {
  const bytes = Buffer.from(service, 'utf8');
  if (!bytes.length) return Buffer.alloc(0);
  return Buffer.concat([Buffer.from([0x0a, ...varint(bytes.length)]), bytes]);
}

/** HealthCheckResponse { ServingStatus status = 1; }: the status number (0 when absent). */
export function decodeResponse(buffer: Buffer): number {
  let i = 0;
  let status = 0;
  const readVarint = () => {
    let value = 0;
    let shift = 0;
    while (i < buffer.length) {
      const b = buffer[i++]!;
      value |= (b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    return value;
  };
  while (i < buffer.length) {
    const tag = readVarint();
    const wire = tag & 7;
    if (wire === 0) {
      const value = readVarint();
      if (tag >>> 3 === 1) status = value;
    } else if (wire === 2) i += readVarint();
    else if (wire === 5) i += 4;
    else if (wire === 1) i += 8;
    else break;
  }
  return status;
}

/** A gRPC length-prefixed message: flag 0, 4-byte big-endian length, the bytes. */
const framed = (message: Buffer) => {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  return frame;
};

export async function grpcHealth(
  host: string,
  port: number,
  service: string,
  timeoutMs: number,
  dial: Dial = directDial,
): Promise<Outcome> {
  const address = hostPort(host, port);
  const timeout = goDuration(timeoutMs);
  const deadline = Date.now() + timeoutMs;
  let socket: Awaited<ReturnType<Dial>>;
  try {
    socket = await dial(host, port, timeoutMs);
  } catch {
    return failure(`timeout: failed to connect service "${address}" within ${timeout}: context deadline exceeded`);
  }
  const session = http2Connect(`http://${address}`, { createConnection: () => socket });
  session.on('error', () => {});
  try {
    return await new Promise<Outcome>((resolve) => {
      const timer = setTimeout(
        () => resolve(failure(`timeout: health rpc did not complete within ${timeout}`)),
        Math.max(0, deadline - Date.now()),
      );
      const done = (outcome: Outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      const req = session.request({
        ':method': 'POST',
        ':path': '/grpc.health.v1.Health/Check',
        'content-type': 'application/grpc',
        te: 'trailers',
        'user-agent': probeUserAgent,
        'grpc-timeout': `${Math.max(1, Math.ceil(timeoutMs))}m`,
      });
      const chunks: Buffer[] = [];
      let grpcStatus: string | undefined;
      let grpcMessage = '';
      const take = (headers: Record<string, unknown>) => {
        if (headers['grpc-status'] !== undefined) grpcStatus = String(headers['grpc-status']);
        if (headers['grpc-message'] !== undefined) grpcMessage = decodeURIComponent(String(headers['grpc-message']));
      };
      req.on('response', take);
      req.on('trailers', take);
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('error', (error) => done(failure(`error: health rpc probe failed: ${error.message}`)));
      req.on('end', () => {
        const code = Number(grpcStatus ?? 2);
        if (code === 12) {
          done(
            failure(
              `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${grpcMessage}`,
            ),
          );
        } else if (code === 4) done(failure(`timeout: health rpc did not complete within ${timeout}`));
        else if (code !== 0) {
          const name = goCodes[code] ?? `Code(${code})`;
          done(failure(`error: health rpc probe failed: rpc error: code = ${name} desc = ${grpcMessage}`));
        } else {
          const body = Buffer.concat(chunks);
          const status = body.length >= 5 ? decodeResponse(body.subarray(5, 5 + body.readUInt32BE(1))) : 0;
          if (status !== 1) done(failure(`service unhealthy (responded with "${servingStatus[status] ?? status}")`));
          else done(success('service healthy'));
        }
      });
      req.end(framed(encodeRequest(service)));
    });
  } finally {
    session.destroy();
    socket.destroy();
  }
}
