// The minimal IAM API on the EKS endpoint (query protocol, XML, requests signed for service `iam`): CreateRole,
// GetRole, DeleteRole (the trust store of STS AssumeRoleWithWebIdentity) and Create/Get/List/Delete
// OpenIDConnectProvider (the issuers it trusts). Any other IAM action is refused as IAM refuses an unknown one.
import { randomUUID } from 'node:crypto';
import type { Backend } from '../../store/types.js';
import { xmlText } from '../xml-text.js';
import {
  createOidcProvider,
  deleteOidcProvider,
  listOidcProviders,
  type OidcProvider,
  readOidcProvider,
} from './oidc-providers.js';
import { createRole, deleteRole, type IamRole, noSuchRole, readRole } from './roles.js';
import { StsFault } from './sessions.js';

const xmlns = 'https://iam.amazonaws.com/doc/2010-05-08/';

export interface IamAnswer {
  status: number;
  xml: string;
}

function roleXml(role: IamRole): string {
  const tags = role.tags.length ? `\n      ${tagsXml(role.tags)}` : '';
  return [
    '    <Role>',
    `      <Path>${xmlText(role.path)}</Path>`,
    `      <AssumeRolePolicyDocument>${xmlText(encodeURIComponent(role.assumeRolePolicyDocument))}</AssumeRolePolicyDocument>`,
    `      <MaxSessionDuration>${role.maxSessionDuration}</MaxSessionDuration>`,
    `      <RoleId>${role.roleId}</RoleId>`,
    `      <RoleName>${xmlText(role.roleName)}</RoleName>`,
    `      <Arn>${xmlText(role.arn)}</Arn>`,
    `      <CreateDate>${role.createDate}</CreateDate>${role.description ? `\n      <Description>${xmlText(role.description)}</Description>` : ''}${tags}`,
    '    </Role>',
  ].join('\n');
}

const response = (action: string, result: string) =>
  `<${action}Response xmlns="${xmlns}">\n${result ? `  <${action}Result>\n${result}\n  </${action}Result>\n` : ''}  <ResponseMetadata>\n    <RequestId>${randomUUID()}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`;

export const iamErrorXml = (code: string, message: string) =>
  `<ErrorResponse xmlns="${xmlns}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${code}</Code>\n    <Message>${xmlText(message)}</Message>\n  </Error>\n  <RequestId>${randomUUID()}</RequestId>\n</ErrorResponse>\n`;

/** `<Name>.member.N` query parameters. */
function membersOf(params: URLSearchParams, name: string): string[] {
  const values: string[] = [];
  for (let n = 1; params.has(`${name}.member.${n}`); n++) values.push(params.get(`${name}.member.${n}`) ?? '');
  return values;
}

const tagsXml = (tags: { Key: string; Value: string }[]) =>
  `<Tags>${tags.map((t) => `<member><Key>${xmlText(t.Key)}</Key><Value>${xmlText(t.Value)}</Value></member>`).join('')}</Tags>`;

function providerXml(provider: OidcProvider): string {
  const list = (name: string, values: string[]) =>
    `    <${name}>${values.map((v) => `<member>${xmlText(v)}</member>`).join('')}</${name}>`;
  return [
    `    <Url>${xmlText(provider.url)}</Url>`,
    list('ClientIDList', provider.clientIds),
    list('ThumbprintList', provider.thumbprints),
    `    <CreateDate>${provider.createDate}</CreateDate>`,
    `    ${tagsXml(provider.tags)}`,
  ].join('\n');
}

/** `Tags.member.N.Key` / `.Value` query parameters. */
function tagsOf(params: URLSearchParams): { Key: string; Value: string }[] {
  const tags: { Key: string; Value: string }[] = [];
  for (let n = 1; params.has(`Tags.member.${n}.Key`); n++) {
    tags.push({ Key: params.get(`Tags.member.${n}.Key`) ?? '', Value: params.get(`Tags.member.${n}.Value`) ?? '' });
  }
  return tags;
}

function required(params: URLSearchParams, name: string, member: string): string {
  const value = params.get(name);
  if (value === null)
    throw new StsFault(
      'ValidationError',
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
}

export async function answerIam(
  store: Backend,
  accountId: string,
  params: URLSearchParams,
  now: number,
): Promise<IamAnswer> {
  const action = params.get('Action') ?? '';
  try {
    if (action === 'CreateRole') {
      if (params.has('PermissionsBoundary'))
        throw new StsFault('ValidationError', 'Permissions boundaries are not supported by this IAM endpoint.');
      const duration = params.get('MaxSessionDuration');
      const role = await createRole(store, {
        accountId,
        roleName: required(params, 'RoleName', 'roleName'),
        assumeRolePolicyDocument: required(params, 'AssumeRolePolicyDocument', 'assumeRolePolicyDocument'),
        path: params.get('Path') ?? undefined,
        description: params.get('Description') ?? undefined,
        maxSessionDuration: duration === null ? undefined : Number(duration),
        tags: tagsOf(params),
        now,
      });
      return { status: 200, xml: response(action, roleXml(role)) };
    }
    if (action === 'GetRole') {
      const name = required(params, 'RoleName', 'roleName');
      const role = await readRole(store, name);
      if (!role) throw noSuchRole(name);
      return { status: 200, xml: response(action, roleXml(role)) };
    }
    if (action === 'DeleteRole') {
      await deleteRole(store, required(params, 'RoleName', 'roleName'));
      return { status: 200, xml: response(action, '') };
    }
    if (action === 'CreateOpenIDConnectProvider') {
      const provider = await createOidcProvider(store, {
        accountId,
        url: required(params, 'Url', 'url'),
        clientIds: membersOf(params, 'ClientIDList'),
        thumbprints: membersOf(params, 'ThumbprintList'),
        tags: tagsOf(params),
        now,
      });
      const result = `    <OpenIDConnectProviderArn>${xmlText(provider.arn)}</OpenIDConnectProviderArn>\n    ${tagsXml(provider.tags)}`;
      return { status: 200, xml: response(action, result) };
    }
    if (action === 'GetOpenIDConnectProvider') {
      const arn = required(params, 'OpenIDConnectProviderArn', 'openIDConnectProviderArn');
      return { status: 200, xml: response(action, providerXml(await readOidcProvider(store, accountId, arn))) };
    }
    if (action === 'ListOpenIDConnectProviders') {
      const members = (await listOidcProviders(store)).map((p) => `<member><Arn>${xmlText(p.arn)}</Arn></member>`);
      return {
        status: 200,
        xml: response(action, `    <OpenIDConnectProviderList>${members.join('')}</OpenIDConnectProviderList>`),
      };
    }
    if (action === 'DeleteOpenIDConnectProvider') {
      const arn = required(params, 'OpenIDConnectProviderArn', 'openIDConnectProviderArn');
      await deleteOidcProvider(store, accountId, arn);
      return { status: 200, xml: response(action, '') };
    }
    return {
      status: 400,
      xml: iamErrorXml('InvalidAction', `Could not find operation ${action} for version 2010-05-08`),
    };
  } catch (error) {
    if (!(error instanceof StsFault)) throw error;
    return { status: error.status, xml: iamErrorXml(error.code, error.message) };
  }
}
