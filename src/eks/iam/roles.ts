// IAM roles, the trust store of STS AssumeRoleWithWebIdentity: name, path, id, ARN, the trust policy
// (AssumeRolePolicyDocument), MaxSessionDuration, description and tags, kept at /iam/roles/<name> and written by the
// minimal IAM API (iam/api.ts: CreateRole, GetRole, DeleteRole). Permission policies are not modelled: a role
// session may call every operation Skiff serves.
import { randomBytes } from 'node:crypto';
import { KeyExistsError } from '../../store/errors.js';
import type { Backend } from '../../store/types.js';
import { readJson } from '../context.js';
import { StsFault } from './sessions.js';

export interface IamRole {
  path: string;
  roleName: string;
  roleId: string;
  arn: string;
  createDate: string;
  assumeRolePolicyDocument: string;
  maxSessionDuration: number;
  description?: string;
  tags: { Key: string; Value: string }[];
}

export const roleKey = (name: string) => `/iam/roles/${name.toLowerCase()}`;

export async function readRole(store: Backend, name: string): Promise<IamRole | undefined> {
  return (await readJson<IamRole>(store, roleKey(name)))?.value;
}

export interface CreateRoleInput {
  accountId: string;
  roleName: string;
  assumeRolePolicyDocument: string;
  path?: string;
  description?: string;
  maxSessionDuration?: number;
  tags?: { Key: string; Value: string }[];
  now: number;
}

/** IAM's own validation errors: 400 ValidationError, 409 EntityAlreadyExists, 400 MalformedPolicyDocument. */
export async function createRole(store: Backend, input: CreateRoleInput): Promise<IamRole> {
  const path = input.path ?? '/';
  if (!/^[\w+=,.@-]{1,64}$/.test(input.roleName))
    throw new StsFault(
      'ValidationError',
      `1 validation error detected: Value '${input.roleName}' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
    );
  if (!/^\/([\x21-\x7e]*\/)?$/.test(path))
    throw new StsFault(
      'ValidationError',
      `The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`,
    );
  const duration = input.maxSessionDuration ?? 3600;
  if (!Number.isInteger(duration) || duration < 3600 || duration > 43200)
    throw new StsFault(
      'ValidationError',
      `1 validation error detected: Value '${input.maxSessionDuration}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value ${duration < 3600 ? 'greater than or equal to 3600' : 'less than or equal to 43200'}`,
    );
  try {
    const doc = JSON.parse(input.assumeRolePolicyDocument);
    if (!doc || typeof doc !== 'object' || !doc.Statement) throw new Error('no Statement');
  } catch {
    throw new StsFault('MalformedPolicyDocument', 'This policy contains invalid Json');
  }
  const role: IamRole = {
    path,
    roleName: input.roleName,
    roleId: `AROA${Array.from(randomBytes(17), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('')}`,
    arn: `arn:aws:iam::${input.accountId}:role${path}${input.roleName}`,
    createDate: new Date(input.now).toISOString().replace(/\.\d+Z$/, 'Z'),
    assumeRolePolicyDocument: input.assumeRolePolicyDocument,
    maxSessionDuration: duration,
    ...(input.description ? { description: input.description } : {}),
    tags: input.tags ?? [],
  };
  try {
    await store.create(roleKey(input.roleName), JSON.stringify(role));
  } catch (error) {
    if (!(error instanceof KeyExistsError)) throw error;
    throw new StsFault('EntityAlreadyExists', `Role with name ${input.roleName} already exists.`, 409);
  }
  return role;
}

export const noSuchRole = (name: string) =>
  new StsFault('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);

export async function deleteRole(store: Backend, name: string): Promise<void> {
  const found = await store.get(roleKey(name));
  if (!found) throw noSuchRole(name);
  await store.delete(roleKey(name), found.modRevision);
}
