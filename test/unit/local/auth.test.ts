import { generateKeyPair, SignJWT } from 'jose';
import {
  DEFAULT_LOCAL_JWT_SECRET,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  signLocalToken,
  type VerifyResult,
  verifyBearer,
} from '../../../local/auth.js';

const SECRET = DEFAULT_LOCAL_JWT_SECRET;
const OTHER_SECRET = 'another-local-secret-that-is-long-enough-0000';
const ALICE = '@alice:tween.example';

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = (): number => Math.floor(Date.now() / 1000);

function reasonOf(result: VerifyResult): string | undefined {
  return result.ok ? undefined : result.reason;
}

describe('Function: signLocalToken', () => {
  it('returns an HS256 JWT with the local issuer, audience, subject and expiry', async () => {
    // Arrange & Act
    const token = await signLocalToken(ALICE, { secret: SECRET, expiresInSeconds: 600 });

    // Assert
    const [header = '', payload = ''] = token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))).toEqual({
      alg: 'HS256',
      typ: 'JWT',
    });
    const claims: Record<string, unknown> = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ sub: ALICE, iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE });
    expect(claims).not.toHaveProperty('roles');
    expect(Number(claims.exp) - Number(claims.iat)).toBe(600);
  });

  it('returns a token that expires in twelve hours by default', async () => {
    // Arrange & Act
    const token = await signLocalToken(ALICE, { secret: SECRET });

    // Assert
    const result = await verifyBearer(`Bearer ${token}`, SECRET);
    if (!result.ok) throw new Error(result.reason);
    expect(Number(result.claims.exp) - Number(result.claims.iat)).toBe(12 * 3600);
  });
});

describe('Function: verifyBearer', () => {
  it('returns ok with the claims when the token is valid', async () => {
    // Arrange
    const token = await signLocalToken(ALICE, { secret: SECRET, roles: ['ops', 'admin'] });

    // Act
    const result = await verifyBearer(`Bearer ${token}`, SECRET);

    // Assert
    expect(result).toEqual({
      ok: true,
      claims: {
        sub: ALICE,
        roles: ['ops', 'admin'],
        iss: LOCAL_ISSUER,
        aud: LOCAL_AUDIENCE,
        iat: expect.any(Number),
        exp: expect.any(Number),
      },
    });
  });

  it('returns ok when the scheme is written in another case', async () => {
    // Arrange
    const token = await signLocalToken(ALICE, { secret: SECRET });

    // Act
    const result = await verifyBearer(`bearer ${token}`, SECRET);

    // Assert
    expect(result.ok).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['only the scheme', 'Bearer '],
    ['a Basic credential', 'Basic YWxpY2U6c2VjcmV0'],
    ['a bare token without scheme', 'eyJhbGciOiJIUzI1NiJ9.e30.sig'],
    ['two tokens', 'Bearer a.b.c d.e.f'],
  ])('returns missing bearer token when the header is %s', async (_case, header) => {
    // Arrange & Act
    const result = await verifyBearer(header, SECRET);

    // Assert
    expect(result).toEqual({ ok: false, reason: 'missing bearer token' });
  });

  it('returns not ok with ERR_JWT_EXPIRED when the token has expired', async () => {
    // Arrange
    const token = await signLocalToken(ALICE, { secret: SECRET, expiresInSeconds: -60 });

    // Act
    const result = await verifyBearer(`Bearer ${token}`, SECRET);

    // Assert
    expect(result).toEqual({ ok: false, reason: 'ERR_JWT_EXPIRED' });
  });

  it('returns not ok when the audience is another service', async () => {
    // Arrange
    const token = await signLocalToken(ALICE, { secret: SECRET, audience: 'tmcp-other' });

    // Act
    const result = await verifyBearer(`Bearer ${token}`, SECRET);

    // Assert
    expect(result).toEqual({ ok: false, reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
  });

  it('returns not ok when the issuer is not the local issuer', async () => {
    // Arrange
    const token = await signLocalToken(ALICE, { secret: SECRET, issuer: 'https://evil.example' });

    // Act
    const result = await verifyBearer(`Bearer ${token}`, SECRET);

    // Assert
    expect(result).toEqual({ ok: false, reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
  });

  it('returns not ok when the token is signed with another secret', async () => {
    // Arrange
    const token = await signLocalToken(ALICE, { secret: OTHER_SECRET });

    // Act
    const result = await verifyBearer(`Bearer ${token}`, SECRET);

    // Assert
    expect(result).toEqual({ ok: false, reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });

  it('returns not ok when the payload was altered after signing', async () => {
    // Arrange
    const token = await signLocalToken(ALICE, { secret: SECRET });
    const [header, , signature] = token.split('.');
    const forged = base64url({
      sub: '@mallory:tween.example',
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      exp: now() + 60,
    });

    // Act
    const result = await verifyBearer(`Bearer ${header}.${forged}.${signature}`, SECRET);

    // Assert
    expect(result.ok).toBe(false);
  });

  it('returns not ok for an unsigned alg none token', async () => {
    // Arrange
    const header = base64url({ alg: 'none', typ: 'JWT' });
    const payload = base64url({ sub: ALICE, iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: now() + 600 });

    // Act
    const result = await verifyBearer(`Bearer ${header}.${payload}.`, SECRET);

    // Assert
    expect(result.ok).toBe(false);
    expect(reasonOf(result)).toMatch(/^ERR_/);
  });

  it('returns not ok for a token signed with HS512 and the right secret', async () => {
    // Arrange
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject(ALICE)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(SECRET));

    // Act
    const result = await verifyBearer(`Bearer ${token}`, SECRET);

    // Assert
    expect(result).toEqual({ ok: false, reason: 'ERR_JOSE_ALG_NOT_ALLOWED' });
  });

  it('returns not ok for a token signed with RS256', async () => {
    // Arrange
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject(ALICE)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('10m')
      .sign(privateKey);

    // Act
    const result = await verifyBearer(`Bearer ${token}`, SECRET);

    // Assert
    expect(result).toEqual({ ok: false, reason: 'ERR_JOSE_ALG_NOT_ALLOWED' });
  });

  it('returns not ok when the token has no expiry', async () => {
    // Arrange
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(ALICE)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .sign(new TextEncoder().encode(SECRET));

    // Act
    const result = await verifyBearer(`Bearer ${token}`, SECRET);

    // Assert
    expect(result).toEqual({ ok: false, reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
  });

  it('returns not ok when the token has no subject', async () => {
    // Arrange
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(SECRET));

    // Act
    const result = await verifyBearer(`Bearer ${token}`, SECRET);

    // Assert
    expect(result).toEqual({ ok: false, reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
  });

  it('returns not ok for a value that is not a JWT', async () => {
    // Arrange & Act
    const result = await verifyBearer('Bearer not-a-jwt', SECRET);

    // Assert
    expect(result.ok).toBe(false);
    expect(reasonOf(result)).toMatch(/^ERR_/);
  });
});
