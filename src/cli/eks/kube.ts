// A kube client for the CLI's Kubernetes side effects (the CoreDNS step), built from the kubeconfig when the
// HTTPS client is available; undefined otherwise, and the caller says what it skipped.
import { existsSync } from 'node:fs';
import type { KubeClient } from '../../kube/client/types.js';
import { dataPaths, defaultDataDir } from '../config.js';

export async function kubeClientFromKubeconfig(): Promise<KubeClient | undefined> {
  const path = process.env.KUBECONFIG?.split(':')[0] || dataPaths(defaultDataDir()).kubeconfig;
  if (!existsSync(path)) return undefined;
  const modulePath = '../../kube/client/http.js';
  try {
    const mod = (await import(modulePath)) as {
      HttpKubeClient?: { fromKubeconfig(p: string): KubeClient | Promise<KubeClient> };
    };
    return mod.HttpKubeClient ? await mod.HttpKubeClient.fromKubeconfig(path) : undefined;
  } catch {
    return undefined;
  }
}
