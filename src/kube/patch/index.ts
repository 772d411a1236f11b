// Patching kube objects: strategic merge patch, JSON merge patch, JSON patch and server-side apply, each a pure
// function over JSON values that throws ApiError (a kube Status) the way kube-apiserver answers bad patches.
export { type ApplyOptions, apply } from './apply.js';
export { mergePatchErrors, patchBadRequest, patchTooLarge, patchUnprocessable } from './errors.js';
export { appliedFieldSet, type FieldsV1, listItemKey, setItemKey } from './fieldset.js';
export { applyJsonPatch, maxJsonPatchOperations } from './json-patch.js';
export { jsonMergePatch, mergePatchObject } from './merge.js';
export { strategicMergePatch } from './strategic.js';
export { touchedFields } from './touched.js';
