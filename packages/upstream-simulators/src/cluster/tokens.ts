/*
 * ServiceAccount tokens as kube-apiserver issues them through TokenRequest
 * (`POST .../serviceaccounts/<name>/token`): RS256-signed JWTs with the
 * `kubernetes.io` claims, bound to the audiences asked for and short-lived.
 * The management cluster issues them; a tenant API server accepts one only
 * for its own audience, as the structured authentication configuration of
 * a real tenant would (issuer, audience, expiry, signature).
 */
import type { KubeObject as Obj } from '../types';
import {
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  randomUUID,
  sign,
  verify,
} from 'node:crypto';

/** The claims of a ServiceAccount token. @public */
export interface ServiceAccountTokenClaims {
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
  };
}

const b64url = (value: Buffer | string) =>
  Buffer.from(value).toString('base64url');

/** Issues and verifies ServiceAccount tokens of one cluster. @public */
export class ServiceAccountTokenIssuer {
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;

  constructor(
    readonly issuer = 'https://kubernetes.default.svc.cluster.local',
    private readonly clock: () => number = () => Date.now(),
  ) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicKey = createPublicKey(privateKey);
  }

  /** A TokenRequest's answer for a ServiceAccount (the API server's minimum lifetime is 10 minutes). */
  issue(
    sa: Obj,
    spec: { audiences?: unknown; expirationSeconds?: unknown } = {},
  ): { token: string; expirationTimestamp: string; audiences: string[] } {
    const audiences =
      Array.isArray(spec.audiences) && spec.audiences.length > 0
        ? spec.audiences.map(String)
        : [this.issuer];
    const requested = Number(spec.expirationSeconds ?? 3600);
    const lifetime = Math.min(Math.max(requested, 600), 48 * 3600);
    const now = Math.floor(this.clock() / 1000);
    const claims: ServiceAccountTokenClaims = {
      iss: this.issuer,
      sub: `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`,
      aud: audiences,
      exp: now + lifetime,
      iat: now,
      nbf: now,
      jti: randomUUID(),
      'kubernetes.io': {
        namespace: sa.metadata.namespace,
        serviceaccount: { name: sa.metadata.name, uid: sa.metadata.uid },
      },
    };
    const head = `${b64url(
      JSON.stringify({ alg: 'RS256', typ: 'JWT' }),
    )}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(head), this.privateKey);
    return {
      token: `${head}.${b64url(signature)}`,
      expirationTimestamp: new Date((now + lifetime) * 1000).toISOString(),
      audiences,
    };
  }

  /**
   * The claims of a token this issuer signed, when it is valid now and
   * bound to `audience`; undefined otherwise (wrong signature, issuer,
   * audience, or expired).
   */
  verify(
    token: string,
    audience: string,
  ): ServiceAccountTokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts;
    let claims: ServiceAccountTokenClaims;
    try {
      const ok = verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        this.publicKey,
        Buffer.from(signature, 'base64url'),
      );
      if (!ok) return undefined;
      if (
        JSON.parse(Buffer.from(header, 'base64url').toString()).alg !== 'RS256'
      )
        return undefined;
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    } catch {
      return undefined;
    }
    const now = Math.floor(this.clock() / 1000);
    if (claims.iss !== this.issuer) return undefined;
    if (!Array.isArray(claims.aud) || !claims.aud.includes(audience))
      return undefined;
    if (!(claims.exp > now) || claims.nbf > now + 60) return undefined;
    return claims;
  }
}
