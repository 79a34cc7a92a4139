import { ApiKeyHasher, bearerSecret, newSecret } from '../../../../shared/app/merchants/api-key-secret.js';
import {
  type ApiKeys,
  authenticateApiKey,
  createApiKey,
  rollApiKey,
} from '../../../../shared/app/merchants/api-keys.js';
import type { ApiKey, ApiKeyGrant } from '../../../../shared/domain/api-key.js';
import { API_KEY_SCOPES } from '../../../../shared/domain/merchant.js';
import { authorize, verdictOf } from '../../../../shared/http/api-key-authorizer.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import { merchant } from '../../../support/fakes/merchants.js';

const PEPPER = 'unit-test-pepper-0123456789abcdefghij';
const NOW = '2026-03-01T12:00:00.000Z';
const OWNER = '@owner:t.example';

/** Keys in memory, by hash and by merchant, with the adapter's conditions. */
class InMemoryApiKeys implements ApiKeys {
  readonly byId = new Map<string, ApiKey>();

  async create(key: ApiKey) {
    this.byId.set(key.keyId, key);
    return key;
  }
  async get(_merchantId: string, keyId: string) {
    return this.byId.get(keyId);
  }
  async list() {
    return { keys: [...this.byId.values()] };
  }
  async grantOf(secretHash: string): Promise<ApiKeyGrant | undefined> {
    return [...this.byId.values()].find((key) => key.secretHash === secretHash);
  }
  async roll(old: ApiKey, next: ApiKey, expiresAt: string) {
    this.byId.set(old.keyId, { ...old, expiresAt });
    this.byId.set(next.keyId, next);
  }
  async revoke(key: ApiKey) {
    const revoked = { ...key, status: 'revoked' as const };
    this.byId.set(key.keyId, revoked);
    return revoked;
  }
}

function setup(status: 'active' | 'kyc_required' = 'active') {
  const clock = fixedClock(NOW);
  const apiKeys = new InMemoryApiKeys();
  const hasher = new ApiKeyHasher(PEPPER);
  const merchants = {
    get: async (id: string) => (id === 'mch_1' ? merchant('mch_1', status, OWNER) : undefined),
  };
  return { clock, apiKeys, hasher, deps: { merchants, apiKeys, hasher, ids: sequentialIds(), clock } };
}

describe('Module: api-key-secret', () => {
  it('returns secrets of the mode prefix and 40 base62 characters, never twice the same', () => {
    // Act
    const secrets = Array.from({ length: 50 }, () => newSecret('live'));

    // Assert
    for (const secret of secrets) expect(secret).toMatch(/^sk_live_[0-9A-Za-z]{40}$/);
    expect(new Set(secrets).size).toBe(50);
  });

  it('hashes with HMAC-SHA256 keyed by the pepper: the same secret, another pepper, another hash', () => {
    // Arrange
    const secret = newSecret('test');

    // Act
    const hash = new ApiKeyHasher(PEPPER).hash(secret);

    // Assert
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new ApiKeyHasher(PEPPER).hash(secret)).toBe(hash);
    expect(new ApiKeyHasher(`${PEPPER}x`).hash(secret)).not.toBe(hash);
    expect(hash).not.toContain(secret.slice(8));
  });

  it('refuses a pepper shorter than 32 characters', () => {
    expect(() => new ApiKeyHasher('short')).toThrow('at least 32');
  });

  it.each([
    ['a JWT', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig'],
    ['no header', undefined],
    ['a key without Bearer', `sk_test_${'a'.repeat(40)}`],
    ['a publishable-looking key', `Bearer pk_test_${'a'.repeat(40)}`],
    ['a short key', 'Bearer sk_test_abc'],
  ])('finds no secret in %s', (_what, header) => {
    expect(bearerSecret(header)).toBeUndefined();
  });
});

describe('Use case: createApiKey', () => {
  it('returns the secret once and stores only its hash and last four characters, with every scope by default', async () => {
    // Arrange
    const { deps, apiKeys, hasher } = setup();

    // Act
    const { key, secret } = await createApiKey(
      { caller: { userId: OWNER }, merchantId: 'mch_1', mode: 'live', name: 'server' },
      deps,
    );

    // Assert
    expect(secret).toMatch(/^sk_live_/);
    expect(key).toMatchObject({ secretHash: hasher.hash(secret), last4: secret.slice(-4), status: 'active' });
    expect(key.scopes).toEqual([...API_KEY_SCOPES]);
    expect(JSON.stringify([...apiKeys.byId.values()])).not.toContain(secret);
  });

  it('refuses a live key to a merchant that is not active (MERCHANT_NOT_ACTIVE) but gives it a test key', async () => {
    // Arrange
    const { deps } = setup('kyc_required');
    const command = { caller: { userId: OWNER }, merchantId: 'mch_1', name: 'k' };

    // Act & Assert
    await expect(createApiKey({ ...command, mode: 'live' }, deps)).rejects.toMatchObject({
      code: 'MERCHANT_NOT_ACTIVE',
    });
    await expect(createApiKey({ ...command, mode: 'test' }, deps)).resolves.toBeDefined();
  });

  it('answers NOT_FOUND to anyone but the owner, and for a merchant that does not exist', async () => {
    // Arrange
    const { deps } = setup();

    // Act & Assert
    await expect(
      createApiKey(
        { caller: { userId: '@mallory:t.example' }, merchantId: 'mch_1', mode: 'test', name: 'k' },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      createApiKey({ caller: { userId: OWNER }, merchantId: 'mch_none', mode: 'test', name: 'k' }, deps),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('Use case: authenticateApiKey (the authorizer verdict)', () => {
  async function issued(status: 'active' | 'kyc_required' = 'active') {
    const harness = setup(status);
    const { key, secret } = await createApiKey(
      { caller: { userId: OWNER }, merchantId: 'mch_1', mode: 'test', name: 'k', scopes: ['payments:read'] },
      harness.deps,
    );
    return { ...harness, key, secret };
  }

  it('returns the merchant, mode, key and scopes of a good key, as the context API Gateway passes on', async () => {
    // Arrange
    const { deps, key, secret } = await issued();

    // Act
    const answer = await authorize({ headers: { Authorization: `Bearer ${secret}` } }, deps);

    // Assert
    expect(answer).toEqual({
      isAuthorized: true,
      context: { merchantId: 'mch_1', mode: 'test', keyId: key.keyId, scopes: 'payments:read' },
    });
  });

  it('allows with an empty context (the pipeline answers 401 INVALID_API_KEY) for anything else', async () => {
    // Arrange
    const { deps, secret } = await issued();

    // Act
    const answers = await Promise.all([
      authorize({ headers: {} }, deps),
      authorize({ headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig' } }, deps),
      authorize({ headers: { authorization: `Bearer ${secret}x` } }, deps),
      authorize({ headers: { authorization: `Bearer ${secret.replace('sk_test_', 'sk_live_')}` } }, deps),
    ]);

    // Assert
    for (const answer of answers) expect(answer).toEqual({ isAuthorized: true, context: {} });
  });

  it('refuses a revoked key', async () => {
    // Arrange
    const { deps, apiKeys, key, secret } = await issued();
    await apiKeys.revoke(key);

    // Act & Assert
    expect(await authenticateApiKey(`Bearer ${secret}`, deps)).toBeUndefined();
  });

  it('accepts a rolled key until its grace ends, and not from then on', async () => {
    // Arrange
    const { deps, key, secret } = await issued();
    await rollApiKey(
      { caller: { userId: OWNER }, merchantId: 'mch_1', keyId: key.keyId, graceSeconds: 60 },
      deps,
    );

    // Act
    const during = await authenticateApiKey(`Bearer ${secret}`, deps);
    const after = await authenticateApiKey(`Bearer ${secret}`, {
      ...deps,
      clock: fixedClock('2026-03-01T12:01:00.000Z'),
    });

    // Assert
    expect(during).toMatchObject({ keyId: key.keyId });
    expect(after).toBeUndefined();
  });

  it('says nothing in the context of a verdict without a caller', () => {
    expect(verdictOf(undefined)).toEqual({ isAuthorized: true, context: {} });
  });
});
