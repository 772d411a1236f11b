// The bill as a picture: cumulative cost over the range, one line per group (the five costliest) and the total,
// with dollar and time axes, drawn as SVG and rendered to PNG by resvg (no browser).
import { Resvg } from '@resvg/resvg-js';
import { formatUsd } from '../../fargate/billing.js';
import type { UsageRecord } from '../usage-record.js';
import { costOverTime } from './bill.js';
import { type GroupBy, groupKey } from './group.js';

export interface ChartInput {
  records: UsageRecord[];
  by: GroupBy;
  fromMs: number;
  toMs: number;
  nowMs: number;
  title: string;
  width?: number;
  height?: number;
}

const colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
const escapeXml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const shortTime = (ms: number, spanMs: number) => {
  const iso = new Date(ms).toISOString();
  return spanMs > 2 * 86_400_000 ? iso.slice(5, 10) : iso.slice(11, 16);
};

export function costChartSvg(input: ChartInput): string {
  const width = input.width ?? 900;
  const height = input.height ?? 500;
  const pad = { left: 80, right: 200, top: 50, bottom: 50 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const groups = new Map<string, UsageRecord[]>();
  for (const r of input.records) {
    const key = groupKey(r, input.by);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const series = [...groups.entries()].map(([key, records]) => ({
    key,
    points: costOverTime(records, input.nowMs, input.fromMs, input.toMs),
  }));
  series.sort((a, b) => b.points.at(-1)!.cost - a.points.at(-1)!.cost);
  const shown = series.slice(0, 5);
  const total = { key: 'total', points: costOverTime(input.records, input.nowMs, input.fromMs, input.toMs) };
  const maxCost = Math.max(1e-6, ...total.points.map((p) => p.cost));
  const span = Math.max(1, input.toMs - input.fromMs);
  const x = (ms: number) => pad.left + ((ms - input.fromMs) / span) * plotW;
  const y = (usd: number) => pad.top + plotH - (usd / maxCost) * plotH;
  const parts: string[] = [
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${pad.left}" y="30" font-family="DejaVu Sans, sans-serif" font-size="18" fill="#222">${escapeXml(input.title)}</text>`,
    `<rect x="${pad.left}" y="${pad.top}" width="${plotW}" height="${plotH}" fill="#fafafa" stroke="#888"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const usd = (maxCost * i) / 4;
    const yy = y(usd);
    parts.push(`<line x1="${pad.left}" y1="${yy}" x2="${pad.left + plotW}" y2="${yy}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${pad.left - 6}" y="${yy + 4}" text-anchor="end" font-family="DejaVu Sans, sans-serif" font-size="11" fill="#444">${formatUsd(usd)}</text>`,
    );
    const ms = input.fromMs + (span * i) / 4;
    parts.push(
      `<text x="${x(ms)}" y="${pad.top + plotH + 18}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="11" fill="#444">${shortTime(ms, span)}</text>`,
    );
  }
  const line = (points: { at: number; cost: number }[], colour: string, widthPx: number, dash = '') =>
    `<polyline fill="none" stroke="${colour}" stroke-width="${widthPx}"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${points
      .map((p) => `${x(p.at).toFixed(1)},${y(p.cost).toFixed(1)}`)
      .join(' ')}"/>`;
  parts.push(line(total.points, '#222', 2.5, '6 3'));
  for (const [i, s] of shown.entries()) parts.push(line(s.points, colours[i % colours.length], 2));
  const legend = [{ key: `total ${formatUsd(total.points.at(-1)!.cost)}`, colour: '#222' }].concat(
    shown.map((s, i) => ({ key: `${s.key} ${formatUsd(s.points.at(-1)!.cost)}`, colour: colours[i % colours.length] })),
  );
  legend.forEach((l, i) => {
    const ly = pad.top + 10 + i * 20;
    parts.push(`<rect x="${width - pad.right + 12}" y="${ly - 8}" width="14" height="4" fill="${l.colour}"/>`);
    parts.push(
      `<text x="${width - pad.right + 32}" y="${ly}" font-family="DejaVu Sans, sans-serif" font-size="11" fill="#222">${escapeXml(l.key.length > 28 ? `${l.key.slice(0, 27)}…` : l.key)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

export function costChartPng(input: ChartInput): Buffer {
  const resvg = new Resvg(costChartSvg(input), { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
  return resvg.render().asPng();
}
