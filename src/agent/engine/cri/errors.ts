// The error every CRI call fails with: which RPC, the gRPC status (NotFound, DeadlineExceeded, Unavailable…) and the
// runtime's own message, so callers can branch on `code` and users read one clear line.
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';

export type CriErrorCode = keyof typeof GrpcStatus;

export class CriError extends Error {
  constructor(
    readonly rpc: string,
    readonly code: CriErrorCode,
    readonly details: string,
  ) {
    super(`CRI ${rpc} failed (${code}): ${details}`);
    this.name = 'CriError';
  }

  static from(rpc: string, error: ServiceError | Error, timeoutMs: number): CriError {
    const grpcCode = (error as ServiceError).code;
    const code = (GrpcStatus[grpcCode] as CriErrorCode | undefined) ?? 'UNKNOWN';
    const details = (error as ServiceError).details ?? error.message;
    if (code === 'DEADLINE_EXCEEDED') return new CriError(rpc, code, `no answer within ${timeoutMs} ms (${details})`);
    return new CriError(rpc, code, details);
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof CriError && error.code === 'NOT_FOUND';
}
