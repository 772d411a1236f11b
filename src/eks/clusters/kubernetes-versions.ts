// The Kubernetes versions a cluster may run on this Skiff, and EKS' rules for choosing and changing one: a new
// cluster takes any of them (the newest by default), an upgrade moves exactly one minor up. The API itself serves
// the newest version's resources whatever a cluster reports; the reported version is what clients and nodes see.
import { EksError } from '../errors.js';

export const clusterVersions = ['1.28', '1.29', '1.30', '1.31', '1.32'] as const;
export const newestClusterVersion = clusterVersions[clusterVersions.length - 1];

const minorOf = (version: string) => Number(version.split('.')[1]);

/** The version CreateCluster asks for, or InvalidParameterException as EKS words it. */
export function checkCreateVersion(version: string | undefined, clusterName: string): string {
  const wanted = version ?? newestClusterVersion;
  if (!(clusterVersions as readonly string[]).includes(wanted)) {
    throw new EksError('InvalidParameterException', 'unsupported Kubernetes version', { clusterName });
  }
  return wanted;
}

/** UpdateClusterVersion's check: a known version exactly one minor above the current one. */
export function checkUpgrade(from: string, to: string, clusterName: string): void {
  if (!(clusterVersions as readonly string[]).includes(to)) {
    throw new EksError('InvalidParameterException', 'unsupported Kubernetes version', { clusterName });
  }
  if (minorOf(to) !== minorOf(from) + 1) {
    throw new EksError(
      'InvalidParameterException',
      `Unsupported Kubernetes minor version update from ${from} to ${to}`,
      { clusterName },
    );
  }
}
