// The EKS add-ons Skiff puts in every cluster (coredns, kube-proxy, aws-node): their objects (apply.ts over the
// data/addons manifests) and the images their pods run, built offline on this host (images/).
export { ensureAddons } from './apply.js';
export { importAddonImages } from './images/import.js';
export { type AddonValues, addonImages, addonObjects } from './manifests.js';
