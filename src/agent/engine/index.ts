// The container engine's public surface for the agent and the CLI: start/stop containerd, the CRI client, images
// (pull policy, secrets, events, GC, import), registry mirrors, and CRI logs.

export { importImages } from './containerd/import.js';
export { CriClient } from './cri/client.js';
export { CriError, isNotFound } from './cri/errors.js';
export type * from './cri/types.js';
export {
  type ContainerEngine,
  type ContainerEngineOptions,
  type PodSandboxRequest,
  startContainerEngine,
} from './engine.js';
export { authsForImage, type PullSecret } from './images/auth.js';
export { PullBackOff } from './images/backoff.js';
export { type EventSink, type ImageEvent, imageEvents } from './images/events.js';
export { ImageGarbageCollector } from './images/gc.js';
export { PAUSE_IMAGE } from './images/pause.js';
export { defaultPullPolicy, type PullPolicy, shouldPull } from './images/policy.js';
export { type EnsureImageRequest, type EnsureImageResult, ImagePuller } from './images/puller.js';
export { type ReadLogOptions, readContainerLog, readContainerLogText } from './logs/reader.js';
export { rotateContainerLog, startLogRotation } from './logs/rotate.js';
export { enginePaths } from './paths.js';
export { parseRegistries, writeRegistryHosts } from './registries/registries.js';
