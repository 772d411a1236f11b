// Skiff's own pod-sandbox ("pause") image, built on the host from Debian's busybox-static so that nothing comes from
// the internet: one layer with /bin/busybox and /bin/sh, an entrypoint that sleeps until SIGTERM/SIGINT.
import { existsSync, readFileSync } from 'node:fs';
import { type WrittenImage, writeOciImage } from '../oci/layout.js';

export const PAUSE_IMAGE = 'registry.skiff.local/pause:1';
const BUSYBOX = '/bin/busybox';

export function buildPauseImage(layoutDir: string, busyboxPath = BUSYBOX): WrittenImage {
  if (!existsSync(busyboxPath)) {
    throw new Error(`${busyboxPath} is missing: install Debian's busybox-static (bash scripts/setup.sh)`);
  }
  return writeOciImage(layoutDir, {
    name: PAUSE_IMAGE,
    layers: [
      [
        { path: 'bin', type: 'dir' },
        { path: 'bin/busybox', type: 'file', mode: 0o755, content: readFileSync(busyboxPath) },
        { path: 'bin/sh', type: 'symlink', linkname: 'busybox' },
        { path: 'bin/sleep', type: 'symlink', linkname: 'busybox' },
      ],
    ],
    entrypoint: ['/bin/sh', '-c', "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"],
  });
}
