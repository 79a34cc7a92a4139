/**
 * Local stand-in for the HTTP API JWT authorizer: HS256 tokens signed with LOCAL_JWT_SECRET, issuer
 * `tmcp-local`, audience `tmcp-payments`. Only HS256 is accepted, so `alg: none` and any other algorithm
 * fail like a bad signature does.
 */
import { errors, jwtVerify, SignJWT } from 'jose';

export const LOCAL_ISSUER = 'tmcp-local';
export const LOCAL_AUDIENCE = 'tmcp-payments';
/** Documented in the README; only ever used by the local stack. */
export const DEFAULT_LOCAL_JWT_SECRET = 'tween-local-dev-secret-change-me-0123456789';

export type Claims = Record<string, string | number | boolean | string[]>;

export interface TokenOptions {
  secret: string;
  roles?: readonly string[];
  expiresInSeconds?: number;
  audience?: string;
  issuer?: string;
}

export async function signLocalToken(userId: string, options: TokenOptions): Promise<string> {
  const jwt = new SignJWT(options.roles === undefined ? {} : { roles: [...options.roles] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(options.issuer ?? LOCAL_ISSUER)
    .setAudience(options.audience ?? LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${options.expiresInSeconds ?? 12 * 3600}s`);
  return jwt.sign(new TextEncoder().encode(options.secret));
}

export type VerifyResult = { ok: true; claims: Claims } | { ok: false; reason: string };

export async function verifyBearer(authorization: string | undefined, secret: string): Promise<VerifyResult> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return { ok: false, reason: 'missing bearer token' };
  try {
    const { payload } = await jwtVerify(match[1], new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      requiredClaims: ['sub', 'exp'],
    });
    return { ok: true, claims: claimsOf(payload) };
  } catch (error) {
    if (error instanceof errors.JOSEError) return { ok: false, reason: error.code };
    throw error;
  }
}

function claimsOf(payload: Record<string, unknown>): Claims {
  const claims: Claims = {};
  for (const [name, value] of Object.entries(payload)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      claims[name] = value;
    else if (Array.isArray(value)) claims[name] = value.filter((v): v is string => typeof v === 'string');
  }
  return claims;
}
