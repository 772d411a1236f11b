// Copies the non-TypeScript files under src/ (JSON data, .proto files, the micro-VM guest's kernel config and C
// source) into dist/ after tsc.
import { cpSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src');
const dist = join(root, 'dist');
const assetExtensions = ['.json', '.proto', '.yaml', '.config', '.c'];

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (assetExtensions.some((ext) => name.endsWith(ext))) {
      const target = join(dist, relative(src, path));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(path, target);
    }
  }
}
walk(src);
