// `skiff check`'s report: one block per pod template (profile, refusal, size and why, cost, the EC2 comparison,
// warnings) and a summary, as text or JSON.
import { formatUsd } from '../../fargate/billing.js';
import type { Verdict } from './verdict.js';

const usd = (n: number) => formatUsd(n);

export function verdictText(v: Verdict): string {
  const t = v.template;
  const replicas = t.replicas === undefined ? 'one per node' : `${t.replicas} replica${t.replicas === 1 ? '' : 's'}`;
  const lines = [`${t.namespace}/${t.kind}/${t.name} (${replicas}) [${t.source}]`];
  const field = (name: string, text: string) => lines.push(`  ${`${name}:`.padEnd(10)} ${text}`);
  field('profile', v.profile ?? `none: ${v.notCaptured}; the pods run on node-group nodes`);
  if (v.refused) field('REFUSED', v.refused);
  if (v.sizing) {
    field('size', `${v.sizing.capacityProvisioned}${v.profile ? '' : ' (if it ran on Fargate)'}`);
    field('why', v.sizing.explanation);
    field('storage', `${v.sizing.storageGB}GB ephemeral${v.sizing.storageGB <= 20 ? ' (included)' : ''}`);
  }
  if (v.perPod && v.hourly !== undefined && v.monthly !== undefined) {
    const n = t.replicas ?? 1;
    field(
      'cost',
      `${usd(v.perPod.total)}/hour per pod (vCPU ${usd(v.perPod.vcpu)} + memory ${usd(v.perPod.memory)}` +
        `${v.perPod.storage ? ` + storage ${usd(v.perPod.storage)}` : ''}) × ${n} = ${usd(v.hourly)}/hour, ${usd(v.monthly)}/month`,
    );
  }
  if (v.ec2) {
    if ('error' in v.ec2) field('on EC2', `${v.ec2.instanceType}: ${v.ec2.error}`);
    else
      field(
        'on EC2',
        `${v.ec2.instanceType} at ${usd(v.ec2.hourlyPerInstance)}/hour holds ${v.ec2.podsPerInstance} pod(s) by requests → ` +
          `${v.ec2.instances} instance(s), ${usd(v.ec2.hourly)}/hour, ${usd(v.ec2.monthly)}/month`,
      );
  }
  for (const w of v.warnings) field('warning', w);
  return lines.join('\n');
}

export function summaryText(verdicts: Verdict[]): string {
  const refused = verdicts.filter((v) => v.refused).length;
  const captured = verdicts.filter((v) => v.profile).length;
  const hourly = verdicts.reduce((s, v) => s + (v.hourly ?? 0), 0);
  const monthly = verdicts.reduce((s, v) => s + (v.monthly ?? 0), 0);
  return (
    `${verdicts.length} pod template(s): ${captured} on Fargate, ${refused} refused; ` +
    `Fargate ${usd(hourly)}/hour, ${usd(monthly)}/month`
  );
}

export function checkJson(verdicts: Verdict[]): string {
  return `${JSON.stringify(
    verdicts.map(({ template: { object: _object, pod: _pod, ...template }, ...rest }) => ({ ...template, ...rest })),
    null,
    2,
  )}\n`;
}
