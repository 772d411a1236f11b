// The enums of botocore's EKS model that the API checks values against, and the refusal AWS's request validation
// gives a value outside one (InvalidParameterException with the standard "failed to satisfy constraint" text).
import { invalidParameter } from './errors.js';

export const amiTypes = [
  'AL2_x86_64',
  'AL2_x86_64_GPU',
  'AL2_ARM_64',
  'CUSTOM',
  'BOTTLEROCKET_ARM_64',
  'BOTTLEROCKET_x86_64',
  'BOTTLEROCKET_ARM_64_FIPS',
  'BOTTLEROCKET_x86_64_FIPS',
  'BOTTLEROCKET_ARM_64_NVIDIA',
  'BOTTLEROCKET_x86_64_NVIDIA',
  'BOTTLEROCKET_ARM_64_NVIDIA_FIPS',
  'BOTTLEROCKET_x86_64_NVIDIA_FIPS',
  'WINDOWS_CORE_2019_x86_64',
  'WINDOWS_FULL_2019_x86_64',
  'WINDOWS_CORE_2022_x86_64',
  'WINDOWS_FULL_2022_x86_64',
  'WINDOWS_CORE_2025_x86_64',
  'WINDOWS_FULL_2025_x86_64',
  'AL2023_x86_64_STANDARD',
  'AL2023_ARM_64_STANDARD',
  'AL2023_x86_64_NEURON',
  'AL2023_x86_64_NVIDIA',
  'AL2023_ARM_64_NVIDIA',
];
export const capacityTypes = ['ON_DEMAND', 'SPOT', 'CAPACITY_BLOCK'];
export const taintEffects = ['NO_SCHEDULE', 'NO_EXECUTE', 'PREFER_NO_SCHEDULE'];
export const updateStrategies = ['DEFAULT', 'MINIMAL'];
export const repairActions = ['Replace', 'Reboot', 'NoAction'];
export const resolveConflictsValues = ['OVERWRITE', 'NONE', 'PRESERVE'];

/** Refuses a value outside `allowed`, in AWS request validation's words. */
export function checkEnum(
  value: unknown,
  allowed: string[],
  member: string,
  members: Record<string, string> = {},
): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw invalidParameter(
      `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
      members,
    );
  }
}
