// eksctl-style log lines (`2026-11-23 10:44:09 [ℹ]  message`) on stderr, so stdout stays clean for -o json|yaml.
const pad = (n: number) => String(n).padStart(2, '0');

function stamp(d = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export const log = {
  info: (message: string) => process.stderr.write(`${stamp()} [ℹ]  ${message}\n`),
  success: (message: string) => process.stderr.write(`${stamp()} [✔]  ${message}\n`),
  warning: (message: string) => process.stderr.write(`${stamp()} [!]  ${message}\n`),
};
