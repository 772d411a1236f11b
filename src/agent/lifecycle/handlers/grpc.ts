// The grpc handler: grpc.health.v1.Health/Check on host:port for the probe's service name, as the kubelet's grpc
// prober calls it (plain text, the probe's timeout for connecting and for the call); SERVING passes. The two
// messages are encoded by hand (one field each), so no .proto file is needed.
import * as grpc from '@grpc/grpc-js';
import { goDuration } from '../../engine/images/events.js';
import { failure, hostPort, type Outcome, success } from './outcome.js';

const servingStatus = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

/** HealthCheckRequest { string service = 1; } */
export function encodeRequest(service: string): Buffer {
  const bytes = Buffer.from(service, 'utf8');
  if (!bytes.length) return Buffer.alloc(0);
  const length: number[] = [];
  let n = bytes.length;
  while (n > 0x7f) {
    length.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  length.push(n);
  return Buffer.concat([Buffer.from([0x0a, ...length]), bytes]);
}

/** HealthCheckResponse { ServingStatus status = 1; }: the status number (0 when absent). */
export function decodeResponse(buffer: Buffer): number {
  let i = 0;
  let status = 0;
  while (i < buffer.length) {
    const tag = buffer[i++]!;
    const wire = tag & 7;
    let value = 0;
    let shift = 0;
    if (wire === 0) {
      for (;;) {
        const b = buffer[i++]!;
        value |= (b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80) || i >= buffer.length) break;
      }
      if (tag >>> 3 === 1) status = value;
    } else if (wire === 2) {
      let length = 0;
      for (;;) {
        const b = buffer[i++]!;
        length |= (b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80) || i >= buffer.length) break;
      }
      i += length;
    } else break;
  }
  return status;
}

const Health = grpc.makeGenericClientConstructor(
  {
    Check: {
      path: '/grpc.health.v1.Health/Check',
      requestStream: false,
      responseStream: false,
      requestSerialize: (service: string) => encodeRequest(service),
      requestDeserialize: (b: Buffer) => b.toString(),
      responseSerialize: (status: number) => Buffer.from([0x08, status]),
      responseDeserialize: decodeResponse,
    },
  },
  'grpc.health.v1.Health',
);

/** UNAVAILABLE → Unavailable, DEADLINE_EXCEEDED → DeadlineExceeded, as Go's codes.Code prints. */
const goCode = (name: string) =>
  name === 'OK' ? name : name.toLowerCase().replace(/(^|_)([a-z])/g, (_, _s, c: string) => c.toUpperCase());

export function grpcHealth(host: string, port: number, service: string, timeoutMs: number): Promise<Outcome> {
  const address = hostPort(host, port);
  const timeout = goDuration(timeoutMs);
  const client = new Health(address, grpc.credentials.createInsecure());
  return new Promise<Outcome>((resolve) => {
    const deadline = Date.now() + timeoutMs;
    client.waitForReady(deadline, (error) => {
      if (error) {
        resolve(
          failure(`timeout: failed to connect service "${address}" within ${timeout}: context deadline exceeded`),
        );
        return;
      }
      (client as any).Check(service, { deadline }, (err: grpc.ServiceError | null, status: number) => {
        if (err) {
          if (err.code === grpc.status.UNIMPLEMENTED) {
            resolve(
              failure(
                `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${err.details}`,
              ),
            );
          } else if (err.code === grpc.status.DEADLINE_EXCEEDED) {
            resolve(failure(`timeout: health rpc did not complete within ${timeout}`));
          } else {
            const code = goCode(grpc.status[err.code] ?? String(err.code));
            resolve(failure(`error: health rpc probe failed: rpc error: code = ${code} desc = ${err.details}`));
          }
          return;
        }
        if (status !== 1) {
          resolve(failure(`service unhealthy (responded with "${servingStatus[status] ?? String(status)}")`));
          return;
        }
        resolve(success('service healthy'));
      });
    });
  }).finally(() => client.close());
}
