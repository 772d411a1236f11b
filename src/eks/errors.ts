// EKS API errors: the AWS error type, its HTTP status, the message and the identifying members of the body.
// They travel as the `x-amzn-ErrorType` header plus a JSON body with `message`, as botocore and the JS SDK parse.

const statusByType: Record<string, number> = {
  InvalidParameterException: 400,
  InvalidRequestException: 400,
  ClientException: 400,
  ResourceLimitExceededException: 400,
  BadRequestException: 400,
  SerializationException: 400,
  ResourceInUseException: 409,
  ResourceNotFoundException: 404,
  NotFoundException: 404,
  UnknownOperationException: 404,
  ServerException: 500,
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  AccessDeniedException: 403,
};

export class EksError extends Error {
  readonly status: number;
  constructor(
    readonly type: string,
    message: string,
    readonly members: Record<string, string> = {},
  ) {
    super(message);
    this.status = statusByType[type] ?? 400;
  }

  body(): Record<string, string> {
    return { ...this.members, message: this.message };
  }
}

export const clusterNotFound = (clusterName: string) =>
  new EksError('ResourceNotFoundException', `No cluster found for name: ${clusterName}.`, { clusterName });

export const invalidParameter = (message: string, members: Record<string, string> = {}) =>
  new EksError('InvalidParameterException', message, members);
