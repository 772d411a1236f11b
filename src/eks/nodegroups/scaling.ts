// A node group's scalingConfig members as EKS checks them: whole numbers (the model's Capacity/ZeroCapacity are
// integers) and not negative; anything else is EKS' InvalidParameterException "<member> is not valid". The
// min/desired/max order is checked by the operation after this.
import { EksError } from '../errors.js';

const members = ['minSize', 'maxSize', 'desiredSize'] as const;

export function checkScalingNumbers(
  scaling: Partial<Record<(typeof members)[number], unknown>> | undefined,
  fail: (message: string) => EksError,
): void {
  for (const member of members) {
    const value = scaling?.[member];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw fail(`${member} is not valid`);
  }
}

/**
 * The request body's `scalingConfig` sizes, checked before the model's member types: EKS answers a size that is
 * not a whole number with InvalidParameterException, not with a type error.
 */
export function checkRequestSizes(body: unknown, clusterName: string, nodegroupName: string): void {
  const sizes = (body as { scalingConfig?: unknown } | undefined)?.scalingConfig;
  if (!sizes || typeof sizes !== 'object') return;
  checkScalingNumbers(
    sizes as Record<string, unknown>,
    (message) => new EksError('InvalidParameterException', message, { clusterName, nodegroupName }),
  );
}
