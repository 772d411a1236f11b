// What /version reports: a realistic Kubernetes 1.32 server (kubectl's dispatcher picks its client by the minor).
export const serverVersion = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.9-eks-skiff',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-01T00:00:00Z',
  goVersion: 'go1.23.12',
  compiler: 'gc',
  platform: 'linux/amd64',
};
