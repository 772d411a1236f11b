// A role's trust policy (AssumeRolePolicyDocument) evaluated for a web-identity caller as IAM does: an explicit Deny
// wins; otherwise some Allow statement must name the action (`sts:AssumeRoleWithWebIdentity`, wildcards allowed), the
// caller's OIDC provider as `Principal.Federated` (or `*`), and every condition must hold. Condition operators:
// StringEquals, StringNotEquals, StringLike, StringNotLike (and their IgnoreCase forms), with the `ForAnyValue:` /
// `ForAllValues:` set prefixes; a key the request lacks fails the positive operators. Any other operator makes its
// statement not apply (it cannot be evaluated here), so it never grants.

export interface TrustRequest {
  action: string;
  /** `arn:aws:iam::<account>:oidc-provider/<issuer host and path>` */
  federatedPrincipal: string;
  /** Condition keys the request carries, e.g. `<issuer host and path>:sub`. */
  context: Record<string, string[]>;
}

const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];

function globToRegExp(pattern: string, ignoreCase = false): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
}

const matchesAny = (value: string, patterns: string[]) => patterns.some((p) => globToRegExp(p).test(value));

function principalMatches(principal: unknown, federated: string): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  const p = principal as Record<string, unknown>;
  if (p.AWS === '*') return true;
  return list(p.Federated).includes(federated);
}

/** One operator on one key; undefined when the operator is not one this evaluator knows. */
function conditionHolds(operator: string, values: string[], actual: string[] | undefined): boolean | undefined {
  const set = /^(ForAnyValue|ForAllValues):(.+)$/.exec(operator);
  const base = set ? set[2] : operator;
  const ignoreCase = base.endsWith('IgnoreCase');
  const name = ignoreCase ? base.slice(0, -'IgnoreCase'.length) : base;
  const like = name === 'StringLike' || name === 'StringNotLike';
  if (!['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike'].includes(name)) return undefined;
  const negated = name.includes('Not');
  const one = (v: string) =>
    values.some((p) =>
      like ? globToRegExp(p, ignoreCase).test(v) : ignoreCase ? p.toLowerCase() === v.toLowerCase() : p === v,
    );
  if (!actual || actual.length === 0) return set?.[1] === 'ForAllValues' || negated;
  if (set?.[1] === 'ForAllValues') return actual.every((v) => (negated ? !one(v) : one(v)));
  const any = actual.some(one);
  return negated ? !any : any;
}

function statementApplies(statement: Record<string, any>, request: TrustRequest): boolean {
  if (statement.NotAction || statement.NotPrincipal) return false;
  if (!matchesAny(request.action, list(statement.Action))) return false;
  if (!principalMatches(statement.Principal, request.federatedPrincipal)) return false;
  const conditions: Record<string, Record<string, unknown>> = statement.Condition ?? {};
  for (const [operator, entries] of Object.entries(conditions)) {
    for (const [key, values] of Object.entries(entries ?? {})) {
      const holds = conditionHolds(operator, list(values), request.context[key]);
      if (holds !== true) return false;
    }
  }
  return true;
}

/** Whether the trust policy lets the request assume the role. */
export function trustAllows(policyDocument: string, request: TrustRequest): boolean {
  let doc: any;
  try {
    doc = JSON.parse(policyDocument);
  } catch {
    return false;
  }
  const statements: Record<string, any>[] = Array.isArray(doc?.Statement) ? doc.Statement : [doc?.Statement];
  const applying = statements.filter((s) => s && typeof s === 'object' && statementApplies(s, request));
  if (applying.some((s) => s.Effect === 'Deny')) return false;
  return applying.some((s) => s.Effect === 'Allow');
}
