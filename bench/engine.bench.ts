// The container engine's numbers: CRI sandbox + container start (p50/p99) one at a time and 20 at once, pull and
// unpack of a ~50 MB image from a local registry cold (fresh content store) and warm (already present), containerd RSS.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ContainerEngine, startContainerEngine } from '../src/agent/engine/engine.js';
import { writeBulkyImage, writeBusyboxImage } from '../src/agent/engine/testing/busybox-image.js';
import { pushImage, startRegistry } from '../src/agent/engine/testing/registry.js';

interface Result {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
};
const round = (n: number) => Math.round(n * 10) / 10;

async function startPod(engine: ContainerEngine, image: string, n: number): Promise<number> {
  const t = performance.now();
  const { id, config } = await engine.runPodSandbox({
    name: `p${n}`,
    namespace: 'bench',
    uid: `u${n}`,
    ip: `10.250.1.${n}`,
  });
  const c = await engine.cri.createContainer(
    id,
    { metadata: { name: 'app' }, image: { image }, command: ['/bin/sleep', '1000'], logPath: 'app/0.log' },
    config,
  );
  await engine.cri.startContainer(c);
  return performance.now() - t;
}

async function removeAll(engine: ContainerEngine): Promise<void> {
  for (const s of await engine.cri.listPodSandbox()) await engine.removePodSandbox(s.id);
}

export default async function (): Promise<Result[]> {
  const root = mkdtempSync(join(tmpdir(), 'skiff-bench-engine-'));
  const registry = await startRegistry(join(root, 'registry'));
  let engine: ContainerEngine | undefined;
  try {
    const image = 'bench.skiff.local/busybox:1';
    writeBusyboxImage(join(root, 'busybox'), image);
    const bulky = [0, 1].map((i) => {
      const name = `bench/bulky${i}:1`;
      const written = writeBulkyImage(join(root, `bulky${i}`), name, 50 * 1000 * 1000);
      pushImage(join(root, `bulky${i}`), name, `${registry.host}/${name}`);
      return { ref: `${registry.host}/${name}`, size: written.size };
    });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      join(root, 'registries.yaml'),
      `mirrors:\n  "${registry.host}":\n    endpoint: ["http://${registry.host}"]\n`,
    );
    engine = await startContainerEngine({
      dataDir: join(root, 'data'),
      vpcCidr: '10.250.0.0/16',
      hostLink: false,
      registriesPath: join(root, 'registries.yaml'),
    });
    await engine.importImages(join(root, 'busybox'));

    const one: number[] = [];
    for (let i = 0; i < 15; i++) {
      one.push(await startPod(engine, image, 10 + i));
      await removeAll(engine);
    }
    const twenty: number[] = [];
    const walls: number[] = [];
    for (let round = 0; round < 3; round++) {
      const t = performance.now();
      twenty.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => startPod(engine!, image, 100 + i)))));
      walls.push(performance.now() - t);
      if (round < 2) await removeAll(engine);
    }
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${engine.supervisor.pid}/status`, 'utf8'))?.[1]);
    await removeAll(engine);

    const cold: number[] = [];
    const warm: number[] = [];
    for (const b of bulky) {
      let t = performance.now();
      await engine.cri.pullImage(b.ref);
      cold.push(performance.now() - t);
      t = performance.now();
      await engine.cri.pullImage(b.ref);
      warm.push(performance.now() - t);
    }
    const mb = round(bulky[0]!.size / 1e6);
    return [
      {
        name: 'sandbox+container start, 1 at a time, p50',
        value: round(quantile(one, 0.5)),
        unit: 'ms',
        note: `${one.length} pods`,
      },
      { name: 'sandbox+container start, 1 at a time, p99', value: round(quantile(one, 0.99)), unit: 'ms' },
      {
        name: 'sandbox+container start, 20 at once, p50',
        value: round(quantile(twenty, 0.5)),
        unit: 'ms',
        note: '3 rounds of 20',
      },
      { name: 'sandbox+container start, 20 at once, p99', value: round(quantile(twenty, 0.99)), unit: 'ms' },
      { name: 'sandbox+container start, 20 at once, wall', value: round(quantile(walls, 0.5)), unit: 'ms' },
      {
        name: 'pull+unpack ~50 MB image, cold',
        value: round(quantile(cold, 0.5)),
        unit: 'ms',
        note: `${mb} MB compressed, local registry, median of ${cold.length}`,
      },
      { name: 'pull ~50 MB image, warm (present)', value: round(quantile(warm, 0.5)), unit: 'ms' },
      { name: 'containerd RSS with 20 pods', value: round(rssKb / 1024), unit: 'MiB' },
    ];
  } finally {
    await engine?.stop();
    await registry.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
