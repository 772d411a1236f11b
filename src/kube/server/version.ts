// What /version reports: a realistic Kubernetes 1.32 server (kubectl's dispatcher picks its client by the minor),
// or the same build reporting the version an EKS cluster runs (`serverVersionFor`).
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

/** The version info of a cluster that reports Kubernetes `minor` (e.g. "1.31"), on the same EKS-style build. */
export function serverVersionFor(minor: string) {
  const [major, minorNumber] = minor.replace(/^v/, '').split('.');
  return { ...serverVersion, major, minor: minorNumber, gitVersion: `v${major}.${minorNumber}.9-eks-skiff` };
}
