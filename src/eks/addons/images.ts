// Every image the catalogue's add-on versions run (the manifests' images with each version's tags), so `skiff up`
// puts them all in containerd and an add-on moved to another version finds its images offline.
import { imagesOfVersions } from '../../addons/configure.js';
import { catalogue } from './catalogue.js';

export function catalogueImages(manifestImages: string[]): string[] {
  return imagesOfVersions(
    manifestImages,
    catalogue.flatMap((e) => e.versions.map((v) => v.images)),
  );
}
