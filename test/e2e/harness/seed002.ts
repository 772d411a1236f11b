// Seed 002's cluster (Migration-EKS and its pod execution role) and its step of creating a Fargate profile with
// the aws CLI, waited on until ACTIVE, shared by the migration tests that walk the seed.
import assert from 'node:assert/strict';
import type { Walkthrough } from './cluster.js';

export const seed002Cluster = 'Migration-EKS';
export const seed002Role = 'arn:aws:iam::111122223333:role/Migration-EKS-Pod-Excution-Role';

/** `aws eks create-fargate-profile` for one namespace, then `describe-fargate-profile` until ACTIVE. */
export async function createSeed002Profile(w: Walkthrough, name: string, namespace: string): Promise<void> {
  const created = await w.aws(
    'eks',
    'create-fargate-profile',
    '--cluster-name',
    seed002Cluster,
    '--pod-execution-role-arn',
    seed002Role,
    '--fargate-profile-name',
    name,
    '--selectors',
    JSON.stringify([{ namespace }]),
  );
  assert.equal(created.code, 0, created.stderr);
  await w.waitFor(async () => {
    const out = await w.aws(
      'eks',
      'describe-fargate-profile',
      '--cluster-name',
      seed002Cluster,
      '--fargate-profile-name',
      name,
    );
    return JSON.parse(out.stdout).fargateProfile?.status === 'ACTIVE';
  }, `profile ${name} ACTIVE`);
}
