// The AMI release versions a managed node group can run (data/eks/nodegroup-releases.json): the latest for a
// Kubernetes minor, and whether a release belongs to one.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'data', 'eks', 'nodegroup-releases.json');
const releases: Record<string, string[]> = JSON.parse(readFileSync(file, 'utf8'));

export function releasesOf(version: string): string[] {
  return Array.isArray(releases[version]) ? releases[version] : [];
}

/** The newest release for a minor; one Skiff has no data for is named for the minor alone (`1.35.0`). */
export function latestRelease(version: string): string {
  return releasesOf(version).at(-1) ?? `${version}.0`;
}

export function isReleaseOf(version: string, release: string): boolean {
  return releasesOf(version).includes(release);
}
