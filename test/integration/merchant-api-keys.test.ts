/**
 * API keys and the merchant API's apps over HTTP (API.md "API keys", "The merchant API"), against the
 * local stack, whose HTTP API runs the API-key authorizer module on every `/v1/*` request. Merchants are
 * the seeded demo merchant (active) and merchants written straight to the table (onboarding is its own
 * work), with keys made through the owner's routes.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEMO_MERCHANT_ID, DEMO_OWNER, DEMO_TEST_KEY } from '../../local/seed.js';
import { DynamoDbMerchants } from '../../shared/adapters/dynamodb/merchants.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { type ApiAnswer, call, endpoint, tokenFor } from '../support/api.js';
import { merchant } from '../support/fakes/merchants.js';
import { waitFor } from '../support/stack.js';

type Json = Record<string, unknown>;

const awsConfig = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};

let merchants: DynamoDbMerchants;

beforeAll(() => {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...awsConfig, endpoint: endpoint('dynamodb') }),
  );
  merchants = new DynamoDbMerchants(client, tableDefinition.localName);
});

/** A merchant of its own for the test, owned by a fresh user, in `status`. */
async function newMerchant(status: 'active' | 'kyc_required') {
  const owner = `@owner-${randomUUID()}:tween.example`;
  const merchantId = `mch_${randomUUID().replaceAll('-', '')}`;
  await merchants.create(merchant(merchantId, status, owner));
  return { merchantId, owner, token: await tokenFor(owner) };
}

function createKey(m: { merchantId: string; token: string }, body: Json): Promise<ApiAnswer<Json>> {
  return call<Json>('POST', `/merchant/v1/merchants/${m.merchantId}/api-keys`, { token: m.token, body });
}

async function secretOf(m: { merchantId: string; token: string }, body: Json): Promise<string> {
  const answer = await createKey(m, body);
  expect(answer.status).toBe(201);
  return String(answer.body.secret);
}

const withKey = (secret: string, body?: Json, headers: Record<string, string> = {}) => ({
  headers: { authorization: `Bearer ${secret}`, ...headers },
  ...(body === undefined ? {} : { body }),
});

describe('Merchant API keys and apps (local stack)', () => {
  it('creates a test key shown once, lists it without the secret, and opens /v1/apps with it', async () => {
    // Arrange
    const m = await newMerchant('kyc_required');

    // Act
    const created = await createKey(m, { mode: 'test', name: 'server' });
    const listed = await call<{ data: Json[] }>('GET', `/merchant/v1/merchants/${m.merchantId}/api-keys`, {
      token: m.token,
    });
    const secret = String(created.body.secret);
    const app = await call<Json>('POST', '/v1/apps', withKey(secret, { name: 'Shop' }));
    const apps = await call<Json>('GET', '/v1/apps', withKey(secret));

    // Assert
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: 'api_key', mode: 'test', name: 'server', expires_at: null });
    expect(secret).toMatch(/^sk_test_[0-9A-Za-z]{32,}$/);
    expect(created.body.last4).toBe(secret.slice(-4));
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ object: 'list', has_more: false, next_cursor: null });
    expect(listed.body.data).toEqual([expect.objectContaining({ id: created.body.id })]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(app.status).toBe(201);
    expect(app.body).toMatchObject({ object: 'app', name: 'Shop', livemode: false });
    expect(String(app.body.id)).toMatch(/^app_/);
    expect(apps.body).toMatchObject({ object: 'list', data: [app.body], has_more: false });
  });

  it("keeps merchants and modes apart: another merchant's key and the other mode's key see 404 and empty lists", async () => {
    // Arrange
    const alice = await newMerchant('active');
    const bob = await newMerchant('active');
    const aliceLive = await secretOf(alice, { mode: 'live', name: 'live' });
    const aliceTest = await secretOf(alice, { mode: 'test', name: 'test' });
    const bobLive = await secretOf(bob, { mode: 'live', name: 'live' });
    const app = await call<Json>('POST', '/v1/apps', withKey(aliceLive, { name: 'Live shop' }));

    // Act
    const own = await call<Json>('GET', `/v1/apps/${app.body.id}`, withKey(aliceLive));
    const otherMode = await call<Json>('GET', `/v1/apps/${app.body.id}`, withKey(aliceTest));
    const otherMerchant = await call<Json>('GET', `/v1/apps/${app.body.id}`, withKey(bobLive));
    const otherModeList = await call<Json>('GET', '/v1/apps', withKey(aliceTest));
    const otherMerchantList = await call<Json>('GET', '/v1/apps', withKey(bobLive));
    const keysOfAlice = await call<Json>('GET', `/merchant/v1/merchants/${alice.merchantId}/api-keys`, {
      token: bob.token,
    });

    // Assert
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ livemode: true });
    expect([otherMode.status, otherMerchant.status]).toEqual([404, 404]);
    expect(otherMerchant.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(otherModeList.body).toMatchObject({ data: [] });
    expect(otherMerchantList.body).toMatchObject({ data: [] });
    expect(keysOfAlice.status).toBe(404);
  });

  it('refuses a live key to a merchant that is not active (403 MERCHANT_NOT_ACTIVE), and an unknown scope (400)', async () => {
    // Arrange
    const m = await newMerchant('kyc_required');

    // Act
    const live = await createKey(m, { mode: 'live', name: 'live' });
    const badScope = await createKey(m, { mode: 'test', name: 'x', scopes: ['payments:everything'] });

    // Assert
    expect(live.status).toBe(403);
    expect(live.body).toMatchObject({ error: { code: 'MERCHANT_NOT_ACTIVE' } });
    expect(badScope.status).toBe(400);
    expect(badScope.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
  });

  it('answers a revoked key 401 INVALID_API_KEY at once', async () => {
    // Arrange
    const m = await newMerchant('kyc_required');
    const created = await createKey(m, { mode: 'test', name: 'soon gone' });
    const secret = String(created.body.secret);
    expect((await call('GET', '/v1/apps', withKey(secret))).status).toBe(200);

    // Act
    const revoked = await call<Json>(
      'DELETE',
      `/merchant/v1/merchants/${m.merchantId}/api-keys/${created.body.id}`,
      {
        token: m.token,
      },
    );
    const after = await call<Json>('GET', '/v1/apps', withKey(secret));
    const again = await call<Json>(
      'DELETE',
      `/merchant/v1/merchants/${m.merchantId}/api-keys/${created.body.id}`,
      {
        token: m.token,
      },
    );

    // Assert
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ id: created.body.id, object: 'api_key', deleted: true });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ error: { code: 'INVALID_API_KEY' } });
    expect(again.status).toBe(404);
  });

  it('rolls a key: the new one works, the old one until its grace ends, then 401', async () => {
    // Arrange
    const m = await newMerchant('kyc_required');
    const created = await createKey(m, { mode: 'test', name: 'rolling', scopes: ['payments:read'] });
    const old = String(created.body.secret);

    // Act
    const rolled = await call<Json>(
      'POST',
      `/merchant/v1/merchants/${m.merchantId}/api-keys/${created.body.id}/roll`,
      {
        token: m.token,
        body: { grace_seconds: 2 },
      },
    );
    const oldDuringGrace = await call('GET', '/v1/apps', withKey(old));
    const newKey = await call('GET', '/v1/apps', withKey(String(rolled.body.secret)));

    // Assert
    expect(rolled.status).toBe(201);
    expect(rolled.body).toMatchObject({ mode: 'test', name: 'rolling', scopes: ['payments:read'] });
    expect(rolled.body.id).not.toBe(created.body.id);
    expect([oldDuringGrace.status, newKey.status]).toEqual([200, 200]);
    const refused = await waitFor(async () => {
      const answer = await call<Json>('GET', '/v1/apps', withKey(old));
      return answer.status === 401 ? answer : undefined;
    }, 'the old key to expire');
    expect(refused.body).toMatchObject({ error: { code: 'INVALID_API_KEY' } });
    expect((await call('GET', '/v1/apps', withKey(String(rolled.body.secret)))).status).toBe(200);
  });

  it('answers a key without the route scope 403 INSUFFICIENT_SCOPE before the handler', async () => {
    // Arrange
    const m = await newMerchant('kyc_required');
    const readOnly = await secretOf(m, { mode: 'test', name: 'read only', scopes: ['payments:read'] });

    // Act
    const created = await call<Json>('POST', '/v1/apps', withKey(readOnly, { name: 'Nope' }));
    const listed = await call<Json>('GET', '/v1/apps', withKey(readOnly));

    // Assert
    expect(created.status).toBe(403);
    expect(created.body).toMatchObject({ error: { code: 'INSUFFICIENT_SCOPE' } });
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ data: [] });
  });

  it('answers 401 INVALID_API_KEY to a user JWT, a missing header and an unknown key on /v1, and 401 UNAUTHORIZED to a key on a user route', async () => {
    // Arrange
    const userToken = await tokenFor('@alice:tween.example');

    // Act
    const jwt = await call<Json>('GET', '/v1/apps', { token: userToken });
    const none = await call<Json>('GET', '/v1/apps');
    const unknown = await call<Json>('GET', '/v1/apps', withKey(`sk_test_${'x'.repeat(40)}`));
    const keyOnUserRoute = await call<Json>(
      'GET',
      '/payments/v1/user/%40alice%3Atween.example/balance',
      withKey(DEMO_TEST_KEY),
    );

    // Assert
    for (const answer of [jwt, none, unknown]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: { code: 'INVALID_API_KEY' } });
    }
    expect(keyOnUserRoute.status).toBe(401);
    expect(keyOnUserRoute.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('replays POST /v1/apps under the same Idempotency-Key, per merchant and mode', async () => {
    // Arrange
    const m = await newMerchant('active');
    const test = await secretOf(m, { mode: 'test', name: 'test' });
    const live = await secretOf(m, { mode: 'live', name: 'live' });
    const key = randomUUID();

    // Act
    const first = await call<Json>(
      'POST',
      '/v1/apps',
      withKey(test, { name: 'Once' }, { 'idempotency-key': key }),
    );
    const replay = await call<Json>(
      'POST',
      '/v1/apps',
      withKey(test, { name: 'Once' }, { 'idempotency-key': key }),
    );
    const otherMode = await call<Json>(
      'POST',
      '/v1/apps',
      withKey(live, { name: 'Once' }, { 'idempotency-key': key }),
    );
    const listed = await call<{ data: Json[] }>('GET', '/v1/apps', withKey(test));

    // Assert
    expect([first.status, replay.status, otherMode.status]).toEqual([201, 201, 201]);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(otherMode.body.id).not.toBe(first.body.id);
    expect(listed.body.data).toHaveLength(1);
  });

  it('seeds the demo merchant: its test key works and its owner lists its keys', async () => {
    // Act
    const apps = await call<Json>('GET', '/v1/apps', withKey(DEMO_TEST_KEY));
    const keys = await call<{ data: Json[] }>('GET', `/merchant/v1/merchants/${DEMO_MERCHANT_ID}/api-keys`, {
      token: await tokenFor(DEMO_OWNER),
    });

    // Assert
    expect(apps.status).toBe(200);
    expect(keys.body.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'key_demo', mode: 'test' })]),
    );
  });

  it('takes mini-app payments only for a live app of an active merchant', async () => {
    // Arrange
    const payer = await tokenFor(`@payer-${randomUUID()}:tween.example`);
    const m = await newMerchant('active');
    const testApp = await call<Json>(
      'POST',
      '/v1/apps',
      withKey(await secretOf(m, { mode: 'test', name: 't' }), { name: 'Test app' }),
    );
    const pay = (appId: string) =>
      call<Json>('POST', '/api/v1/payments/request', {
        token: payer,
        headers: { 'idempotency-key': randomUUID() },
        body: {
          appId,
          amount: { value: 100, currency: 'USD' },
          paymentMethod: { type: 'wallet' },
          description: 'x',
        },
      });

    // Act
    const unknown = await pay('app_nobody_has_this');
    const testMode = await pay(String(testApp.body.id));

    // Assert
    for (const answer of [unknown, testMode]) {
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
  });
});
