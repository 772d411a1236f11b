// What well-known images print when they start with their own entrypoint (no command given): nginx's
// docker-entrypoint lines and its startup notices. Times in the lines are written when the line is.
import { imageRepository } from './commands.js';
import type { OutputLine } from './printed.js';

/** Replaced when the line is written by the time as nginx's error log shows it: 2025/01/01 00:00:00. */
export const nginxTimeMark = '\u0001nginx-time\u0001';

const two = (n: number) => String(n).padStart(2, '0');

export function nginxTime(now: Date): string {
  const date = `${now.getUTCFullYear()}/${two(now.getUTCMonth() + 1)}/${two(now.getUTCDate())}`;
  return `${date} ${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())}`;
}

function nginxVersion(image: string): string {
  const tag = /:([^:/@]+)(@|$)/.exec(image)?.[1] ?? '';
  const version = /^(\d+\.\d+\.\d+)/.exec(tag)?.[1];
  if (version) return version;
  const minor = /^(\d+\.\d+)/.exec(tag)?.[1];
  return minor ? `${minor}.0` : '1.27.4';
}

function nginx(image: string, fargate: boolean): string[] {
  const script = '/docker-entrypoint.sh';
  const ipv6 = '10-listen-on-ipv6-by-default.sh';
  const notice = (text: string) => `${nginxTimeMark} [notice] 1#1: ${text}`;
  return [
    `${script}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration`,
    `${script}: Looking for shell scripts in /docker-entrypoint.d/`,
    `${script}: Launching /docker-entrypoint.d/${ipv6}`,
    `${ipv6}: info: Getting the checksum of /etc/nginx/conf.d/default.conf`,
    `${ipv6}: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf`,
    `${script}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh`,
    `${script}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh`,
    `${script}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh`,
    `${script}: Configuration complete; ready for start up`,
    notice('using the "epoll" event method'),
    notice(`nginx/${nginxVersion(image)}`),
    notice('built by gcc 12.2.0 (Debian 12.2.0-14)'),
    notice('OS: Linux 6.1.0'),
    notice(`getrlimit(RLIMIT_NOFILE): ${fargate ? '1024:65535' : '1048576:1048576'}`),
    notice('start worker processes'),
    notice('start worker process 29'),
    notice('start worker process 30'),
  ];
}

/** The start banner of the container's image when it runs its own entrypoint, else nothing. */
export function bannerOf(container: { image?: string; command?: string[] }, fargate: boolean): OutputLine[] {
  if (container.command?.length) return [];
  const image = container.image ?? '';
  const lines = imageRepository(image) === 'nginx' ? nginx(image, fargate) : [];
  return lines.map((text) => ({ ms: 0, text }));
}
