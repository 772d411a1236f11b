// The add-on programs (../programs/main.ts: Skiff's CoreDNS, kube-proxy, the VPC CNI programs) as one CommonJS
// bundle made with esbuild from the repository's TypeScript sources, for the add-on images' node runtime.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, stop } from 'esbuild';

/** src/addons/programs/main.ts in the repository, from src/ or dist/ alike. */
export const programsEntry = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'src',
  'addons',
  'programs',
  'main.ts',
);

export async function bundlePrograms(entry = programsEntry): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  }).finally(() => stop());
  return result.outputFiles[0]!.text;
}
