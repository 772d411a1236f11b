// What well-known images print when they start with their own entrypoint (no command given), from the banners of
// data/simulated/behaviour.yaml: placeholders filled for this image and node; times are written when the line is.
import { simulatedBehaviour } from './behaviour.js';
import { imageRepository } from './commands.js';
import type { OutputLine } from './printed.js';

/** Replaced when the line is written by the time as nginx's error log shows it: 2025/01/01 00:00:00. */
export const nginxTimeMark = '\u0001nginx-time\u0001';

const two = (n: number) => String(n).padStart(2, '0');

export function nginxTime(now: Date): string {
  const date = `${now.getUTCFullYear()}/${two(now.getUTCMonth() + 1)}/${two(now.getUTCDate())}`;
  return `${date} ${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())}`;
}

/** The x.y.z of the image's tag (x.y → x.y.0), else `fallback`. */
function tagVersion(image: string, fallback: string): string {
  const tag = /:([^:/@]+)(@|$)/.exec(image)?.[1] ?? '';
  const version = /^(\d+\.\d+\.\d+)/.exec(tag)?.[1];
  if (version) return version;
  const minor = /^(\d+\.\d+)/.exec(tag)?.[1];
  return minor ? `${minor}.0` : fallback;
}

/** The start banner of the container's image when it runs its own entrypoint, else nothing. */
export function bannerOf(
  container: { image?: string; command?: string[] },
  fargate: boolean,
  hostname = 'localhost',
): OutputLine[] {
  if (container.command?.length) return [];
  const image = container.image ?? '';
  const banner = simulatedBehaviour().banners[imageRepository(image)];
  if (!banner) return [];
  const values: Record<string, string> = {
    'time:nginx': nginxTimeMark,
    version: tagVersion(image, banner.defaultVersion),
    nofile: fargate ? banner.nofile.fargate : banner.nofile.nodegroup,
    hostname,
  };
  return banner.lines.map((line) => ({
    ms: 0,
    text: line.replace(/\{([\w:]+)\}/g, (all, name: string) => values[name] ?? all),
  }));
}
