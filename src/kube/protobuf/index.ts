// Kubernetes protobuf bodies (`application/vnd.kubernetes.protobuf`) for the kinds kubectl's create generators send.
export { decodeProtobufObject, protobufMagic } from './decode.js';
export { encodeProtobufObject } from './encode.js';
export { supportedKinds } from './schema.js';

export const protobufContentType = 'application/vnd.kubernetes.protobuf';
