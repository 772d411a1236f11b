// The ServiceAccount token signer: ES256 JWTs with a key kept in D/pki/sa.key (made once), in the claims shape of
// kube-apiserver's bound tokens (iss, sub, aud, exp, iat, nbf, jti and the `kubernetes.io` claim naming the
// namespace, ServiceAccount and bound object), and the legacy tokens of service-account-token Secrets; verify()
// checks the signature, issuer and times. The issuer is kube-apiserver's --service-account-issuer: the cluster's
// OIDC issuer once `useIssuer` names it (EKS's `identity.oidc.issuer`), every earlier one still accepted (as repeated
// --service-account-issuer flags are); `jwks()` is the public key set served at /openid/v1/jwks.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
  sign,
  verify,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const serviceAccountIssuer = 'https://kubernetes.default.svc.cluster.local';
/** What a token is for when the request names no audience (kube-apiserver's --api-audiences). */
export const apiAudiences = ['https://kubernetes.default.svc.cluster.local', 'https://kubernetes.default.svc'];

export interface BoundRef {
  kind: 'Pod' | 'Secret' | 'Node';
  name: string;
  uid: string;
  /** A pod's node, named in the token as well. */
  node?: { name: string; uid: string };
}

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    pod?: { name: string; uid: string };
    secret?: { name: string; uid: string };
    node?: { name: string; uid: string };
    warnafter?: number;
  };
}

/** The issuer of tokens kept in Secrets (kube-controller-manager's legacy tokens). */
export const legacyIssuer = 'kubernetes/serviceaccount';

export interface LegacyClaims {
  iss: string;
  'kubernetes.io/serviceaccount/namespace': string;
  'kubernetes.io/serviceaccount/secret.name': string;
  'kubernetes.io/serviceaccount/service-account.name': string;
  'kubernetes.io/serviceaccount/service-account.uid': string;
  sub: string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export class TokenSigner {
  readonly keyId: string;
  private publicKey: KeyObject;
  /** The `iss` of new tokens. */
  issuer = serviceAccountIssuer;
  private acceptedIssuers = new Set([serviceAccountIssuer]);

  constructor(private privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey);
    const der = this.publicKey.export({ type: 'spki', format: 'der' });
    this.keyId = createHash('sha256').update(der).digest('base64url');
  }

  /** The signer whose key is at `path` (an EC P-256 key in PKCS#8 PEM), making the key the first time. */
  static fromKeyFile(path: string): TokenSigner {
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    }
    return new TokenSigner(createPrivateKey(readFileSync(path)));
  }

  /** Signs new tokens as `issuer`; tokens of the issuers before it stay valid until they expire. */
  useIssuer(issuer: string): void {
    this.issuer = issuer;
    this.acceptedIssuers.add(issuer);
  }

  /** Accepts (but does not sign with) an earlier issuer, e.g. the one before a restart on another port. */
  acceptIssuer(issuer: string): void {
    this.acceptedIssuers.add(issuer);
  }

  /** The public key as a JSON Web Key Set (RFC 7517), as kube-apiserver serves it. */
  jwks(): { keys: Record<string, unknown>[] } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return { keys: [{ use: 'sig', kty: jwk.kty, kid: this.keyId, crv: jwk.crv, alg: 'ES256', x: jwk.x, y: jwk.y }] };
  }

  static generate(): TokenSigner {
    return new TokenSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  }

  issue(input: {
    namespace: string;
    serviceAccount: { name: string; uid: string };
    audiences: string[];
    expirationSeconds: number;
    /** Seconds after which a client should have refreshed an extended token. */
    warnAfterSeconds?: number;
    bound?: BoundRef;
    now?: number;
  }): { token: string; claims: TokenClaims } {
    const iat = Math.floor((input.now ?? Date.now()) / 1000);
    const k8s: TokenClaims['kubernetes.io'] = { namespace: input.namespace, serviceaccount: input.serviceAccount };
    if (input.bound) {
      const ref = { name: input.bound.name, uid: input.bound.uid };
      if (input.bound.kind === 'Pod') k8s.pod = ref;
      else if (input.bound.kind === 'Secret') k8s.secret = ref;
      else k8s.node = ref;
      if (input.bound.node) k8s.node = input.bound.node;
    }
    if (input.warnAfterSeconds) k8s.warnafter = iat + input.warnAfterSeconds;
    const claims: TokenClaims = {
      aud: input.audiences,
      exp: iat + input.expirationSeconds,
      iat,
      iss: this.issuer,
      jti: randomUUID(),
      'kubernetes.io': k8s,
      nbf: iat,
      sub: `system:serviceaccount:${input.namespace}:${input.serviceAccount.name}`,
    };
    return { token: this.sign(claims), claims };
  }

  /**
   * A legacy token for a `kubernetes.io/service-account-token` Secret, as kube-controller-manager's tokens
   * controller writes them: no expiry, valid while the Secret holds it and the ServiceAccount is the same.
   */
  issueLegacy(namespace: string, serviceAccount: { name: string; uid: string }, secretName: string): string {
    const claims: LegacyClaims = {
      iss: legacyIssuer,
      'kubernetes.io/serviceaccount/namespace': namespace,
      'kubernetes.io/serviceaccount/secret.name': secretName,
      'kubernetes.io/serviceaccount/service-account.name': serviceAccount.name,
      'kubernetes.io/serviceaccount/service-account.uid': serviceAccount.uid,
      sub: `system:serviceaccount:${namespace}:${serviceAccount.name}`,
    };
    return this.sign(claims);
  }

  private sign(claims: object): string {
    const header = b64url(JSON.stringify({ alg: 'ES256', kid: this.keyId }));
    const body = b64url(JSON.stringify(claims));
    const signature = sign('sha256', Buffer.from(`${header}.${body}`), {
      key: this.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return `${header}.${body}.${b64url(signature)}`;
  }

  /** The payload of a token this key signed, whatever its claims; undefined when the signature does not hold. */
  private signed(token: string): any {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, body, signature] = parts as [string, string, string];
    try {
      const head = JSON.parse(Buffer.from(header, 'base64url').toString());
      if (head.alg !== 'ES256') return undefined;
      const ok = verify(
        'sha256',
        Buffer.from(`${header}.${body}`),
        { key: this.publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(signature, 'base64url'),
      );
      return ok ? JSON.parse(Buffer.from(body, 'base64url').toString()) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The claims of a legacy Secret token this signer issued; undefined for anything else. */
  verifyLegacy(token: string): LegacyClaims | undefined {
    const claims = this.signed(token);
    if (claims?.iss !== legacyIssuer || !claims['kubernetes.io/serviceaccount/secret.name']) return undefined;
    return claims;
  }

  /** The claims of a bound token this signer issued that is valid now; undefined for anything else. */
  verify(token: string, now = Date.now()): TokenClaims | undefined {
    const claims: TokenClaims | undefined = this.signed(token);
    if (!claims) return undefined;
    const seconds = Math.floor(now / 1000);
    if (!this.acceptedIssuers.has(claims.iss)) return undefined;
    if (typeof claims.exp !== 'number' || seconds >= claims.exp) return undefined;
    if (typeof claims.nbf === 'number' && seconds < claims.nbf) return undefined;
    if (!claims['kubernetes.io']?.serviceaccount?.name) return undefined;
    return claims;
  }
}
