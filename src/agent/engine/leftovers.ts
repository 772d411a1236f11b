// The first step of starting the engine on a data dir that ran before: Skiff's containerd keeps its sandboxes in
// D/containerd/root across a stop that did not finish (SIGKILL, a crash), and the agent starts with no pods of its
// own, so each sandbox left over is removed; otherwise it keeps its pod's name reserved and the kubelet's new
// sandbox for that pod fails with `failed to reserve sandbox name`.
import type { CriClient } from './cri/client.js';

export async function removeLeftoverSandboxes(cri: CriClient, remove: (id: string) => Promise<void>): Promise<void> {
  const sandboxes = await cri.listPodSandbox();
  await Promise.all(sandboxes.map((sandbox) => remove(sandbox.id)));
}
