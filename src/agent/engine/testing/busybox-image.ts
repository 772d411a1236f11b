// Test images built from Debian's busybox-static: an OCI layout with three layers (busybox and its applet symlinks;
// a file deleted by a whiteout plus a symlink; a web root), and a ~N MB image of random layers for benchmarks.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type WrittenImage, writeOciImage } from '../oci/layout.js';
import type { TarEntry } from '../oci/tar.js';

const APPLETS = ['sh', 'ls', 'cat', 'echo', 'sleep', 'wget', 'nc', 'httpd', 'hostname', 'id', 'ip', 'test', 'env'];
// kubectl cp runs tar in the container; `kubectl exec pod -- true` (the exec round trip) runs true.
APPLETS.push('tar', 'true', 'mkdir');
// The DNS walkthroughs ask the cluster DNS with nslookup.
APPLETS.push('nslookup');

export function busyboxLayer(): TarEntry[] {
  return [
    { path: 'bin', type: 'dir' },
    { path: 'bin/busybox', type: 'file', mode: 0o755, content: readFileSync('/bin/busybox') },
    ...APPLETS.map((a): TarEntry => ({ path: `bin/${a}`, type: 'symlink', linkname: 'busybox' })),
    { path: 'etc', type: 'dir' },
    { path: 'etc/passwd', type: 'file', content: 'root:x:0:0:root:/root:/bin/sh\n' },
    { path: 'etc/removed.txt', type: 'file', content: 'deleted by the next layer\n' },
    { path: 'tmp', type: 'dir', mode: 0o1777 },
  ];
}

/** Writes busybox as `name` into the layout at `dir`; the second layer whites out /etc/removed.txt. */
export function writeBusyboxImage(dir: string, name: string, message = 'hello from skiff'): WrittenImage {
  return writeOciImage(dir, {
    name,
    layers: [
      busyboxLayer(),
      [
        { path: 'etc', type: 'dir' },
        { path: 'etc/.wh.removed.txt', type: 'file', content: '' },
        { path: 'etc/hello.txt', type: 'file', content: `${message}\n` },
        { path: 'usr', type: 'dir' },
        { path: 'usr/bin', type: 'dir' },
        { path: 'usr/bin/hello', type: 'symlink', linkname: '/etc/hello.txt' },
      ],
      [
        { path: 'www', type: 'dir' },
        { path: 'www/index.html', type: 'file', content: `${message}\n` },
      ],
    ],
    cmd: ['/bin/sh'],
  });
}

/** busybox plus `layers` layers of random (incompressible) bytes, `totalBytes` in all. */
export function writeBulkyImage(dir: string, name: string, totalBytes: number, layers = 5): WrittenImage {
  const per = Math.ceil(totalBytes / layers);
  return writeOciImage(dir, {
    name,
    layers: [
      busyboxLayer(),
      ...Array.from({ length: layers }, (_, i): TarEntry[] => [
        { path: `data${i}`, type: 'dir' },
        { path: `data${i}/blob`, type: 'file', content: randomBytes(per) },
      ]),
    ],
    cmd: ['/bin/sh'],
  });
}
