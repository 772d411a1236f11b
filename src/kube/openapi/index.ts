// OpenAPI v3 for the kube API: the /openapi/v3 root, per-group-version documents built from the Kubernetes
// definitions (and CRD schemas), and deterministic bytes plus content hash for ?hash= and ETag.
export { componentNameFor, toV3 } from './components.js';
export { groupVersionPath, openApiV3Document, openApiV3Root, serializeOpenApi } from './document.js';
export { contentHash, stableJson } from './hash.js';
export type { GroupVersion, GroupVersionHash, OpenApiDocument, ResourceDescription } from './types.js';
