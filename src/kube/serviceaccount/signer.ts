// The ServiceAccount token signer: ES256 JWTs with a key kept in D/pki/sa.key (made once), in the claims shape of
// kube-apiserver's bound tokens (iss, sub, aud, exp, iat, nbf, jti and the `kubernetes.io` claim naming the
// namespace, ServiceAccount and bound object); verify() checks the signature, issuer and times.
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
  };
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export class TokenSigner {
  readonly keyId: string;
  private publicKey: KeyObject;

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

  static generate(): TokenSigner {
    return new TokenSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  }

  issue(input: {
    namespace: string;
    serviceAccount: { name: string; uid: string };
    audiences: string[];
    expirationSeconds: number;
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
    }
    const claims: TokenClaims = {
      aud: input.audiences,
      exp: iat + input.expirationSeconds,
      iat,
      iss: serviceAccountIssuer,
      jti: randomUUID(),
      'kubernetes.io': k8s,
      nbf: iat,
      sub: `system:serviceaccount:${input.namespace}:${input.serviceAccount.name}`,
    };
    const header = b64url(JSON.stringify({ alg: 'ES256', kid: this.keyId }));
    const body = b64url(JSON.stringify(claims));
    const signature = sign('sha256', Buffer.from(`${header}.${body}`), {
      key: this.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return { token: `${header}.${body}.${b64url(signature)}`, claims };
  }

  /** The claims of a token this signer issued that is valid now; undefined for anything else. */
  verify(token: string, now = Date.now()): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, body, signature] = parts as [string, string, string];
    let claims: TokenClaims;
    try {
      const head = JSON.parse(Buffer.from(header, 'base64url').toString());
      if (head.alg !== 'ES256') return undefined;
      const ok = verify(
        'sha256',
        Buffer.from(`${header}.${body}`),
        { key: this.publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(signature, 'base64url'),
      );
      if (!ok) return undefined;
      claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    } catch {
      return undefined;
    }
    const seconds = Math.floor(now / 1000);
    if (claims.iss !== serviceAccountIssuer) return undefined;
    if (typeof claims.exp !== 'number' || seconds >= claims.exp) return undefined;
    if (typeof claims.nbf === 'number' && seconds < claims.nbf) return undefined;
    if (!claims['kubernetes.io']?.serviceaccount?.name) return undefined;
    return claims;
  }
}
