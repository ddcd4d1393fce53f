import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';

export const OPERATOR_AUDIENCE = 'operator-api';
/** Tokens outliving this are refused, whoever issued them. */
const MAX_CLOCK_SKEW_SECONDS = 30;

export type OperatorTokenVerification =
  | { readonly ok: true; readonly subject: string; readonly claims: JWTPayload }
  | { readonly ok: false; readonly detail: string };

/**
 * Verifies operator bearer tokens: HS256 with the shared secret, or RS256/ES256 from an
 * identity provider's JWKS. `exp` is required; nothing else about the token is trusted
 * before the signature checks out.
 */
export class OperatorTokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(source: { readonly secret: Uint8Array } | { readonly jwksUrl: string }) {
    if ('jwksUrl' in source) {
      this.key = createRemoteJWKSet(new URL(source.jwksUrl));
      this.algorithms = ['RS256', 'ES256'];
    } else {
      this.key = source.secret;
      this.algorithms = ['HS256'];
    }
  }

  async verify(authorization: string | undefined): Promise<OperatorTokenVerification> {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization ?? '');
    if (!match) return { ok: false, detail: 'Send Authorization: Bearer <token>' };
    try {
      const { payload } = await jwtVerify(match[1]!, this.key as Uint8Array, {
        algorithms: this.algorithms,
        requiredClaims: ['exp'],
        clockTolerance: MAX_CLOCK_SKEW_SECONDS,
      });
      return { ok: true, subject: payload.sub ?? 'operator', claims: payload };
    } catch {
      // Which check failed is not told to the caller: it helps nobody but an attacker.
      return { ok: false, detail: 'The bearer token is invalid or expired' };
    }
  }
}

/** A token for local use (the `token` CLI command, tests). */
export function issueOperatorToken(
  secret: Uint8Array,
  options: { subject: string; ttlSeconds: number },
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.subject)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds}s`)
    .sign(secret);
}
