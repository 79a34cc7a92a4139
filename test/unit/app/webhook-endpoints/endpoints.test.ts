import { CursorCodec } from '../../../../shared/app/cursor.js';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listEndpoints,
  updateEndpoint,
} from '../../../../shared/app/webhook-endpoints/endpoints.js';
import type { MerchantCaller } from '../../../../shared/domain/merchant.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import { fakeSecrets, fakeUrls, InMemoryWebhookEndpoints } from '../../../support/fakes/webhook-endpoints.js';

const caller: MerchantCaller = {
  merchantId: 'mch_a',
  mode: 'test',
  scopes: ['webhooks:write'],
  keyId: 'key_1',
};
const cursors = new CursorCodec('a-cursor-secret-of-at-least-32-characters');

function setup() {
  const endpoints = new InMemoryWebhookEndpoints();
  const secrets = fakeSecrets();
  const deps = {
    endpoints,
    secrets,
    urls: fakeUrls,
    ids: sequentialIds(),
    clock: fixedClock('2026-12-07T10:00:00Z'),
  };
  return { endpoints, secrets, deps };
}

const input = { url: 'http://127.0.0.1:4000/hook', enabledEvents: ['payment_intent.succeeded'] };

describe('Function: createEndpoint', () => {
  it('answers the endpoint with its secret once, and stores only the sealed secret', async () => {
    // Arrange
    const { deps, endpoints, secrets } = setup();

    // Act
    const created = await createEndpoint(caller, input, '', deps);

    // Assert
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(created.endpoint).toMatchObject({ id: 'we_1', status: 'enabled', created: 1_796_637_600 });
    const stored = [...endpoints.stored.values()][0];
    expect(stored?.sealedSecret).toBe(secrets.sealed[0]);
    expect(JSON.stringify(stored?.endpoint)).not.toContain(created.secret);
  });

  it('finds the first endpoint, without its secret, when retried with the same Idempotency-Key', async () => {
    // Arrange
    const { deps, endpoints } = setup();
    const first = await createEndpoint(caller, input, 'key-1', deps);

    // Act
    const again = await createEndpoint(caller, input, 'key-1', deps);

    // Assert
    expect(again).toEqual({ endpoint: first.endpoint });
    expect(endpoints.stored.size).toBe(1);
  });

  it.each([
    [['payment_intent.succeded'], 'an unknown type'],
    [['*', 'refund.created'], '"*" beside a type'],
    [[], 'no type'],
  ])('refuses enabled_events %j (%s) with VALIDATION_ERROR naming enabled_events', async (events) => {
    // Arrange
    const { deps, endpoints } = setup();

    // Act
    const created = createEndpoint(caller, { ...input, enabledEvents: events }, '', deps);

    // Assert
    await expect(created).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: expect.objectContaining({ field: 'enabled_events' }),
    });
    expect(endpoints.stored.size).toBe(0);
  });

  it('takes "*", the families API.md names with a wildcard, and each type once', async () => {
    // Arrange
    const { deps } = setup();

    // Act
    const all = await createEndpoint(caller, { ...input, enabledEvents: ['*'] }, '', deps);
    const some = await createEndpoint(
      caller,
      { ...input, enabledEvents: ['invoice.paid', 'refund.updated', 'refund.updated'] },
      '',
      deps,
    );

    // Assert
    expect(all.endpoint.enabledEvents).toEqual(['*']);
    expect(some.endpoint.enabledEvents).toEqual(['invoice.paid', 'refund.updated']);
  });

  it('refuses a live http URL and a host of private addresses, storing nothing', async () => {
    // Arrange
    const { deps, endpoints } = setup();
    const live = { ...caller, mode: 'live' as const };

    // Act
    const plain = createEndpoint(live, { ...input, url: 'http://example.com/hook' }, '', deps);
    const privateHost = createEndpoint(live, { ...input, url: 'https://private.example/hook' }, '', deps);

    // Assert
    await expect(plain).rejects.toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'url' } });
    await expect(privateHost).rejects.toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'url' } });
    expect(endpoints.stored.size).toBe(0);
  });

  it('refuses a key without webhooks:write', async () => {
    // Arrange
    const { deps } = setup();

    // Act
    const created = createEndpoint({ ...caller, scopes: ['payments:read'] }, input, '', deps);

    // Assert
    await expect(created).rejects.toMatchObject({ code: 'INSUFFICIENT_SCOPE' });
  });
});

describe('Function: updateEndpoint', () => {
  it('disables it for its owner, and enabling it again clears the failure clock', async () => {
    // Arrange
    const { deps, endpoints } = setup();
    const { endpoint } = await createEndpoint(caller, input, '', deps);
    await endpoints.update(caller, endpoint.id, (e) => ({ ...e, failingSince: '2026-12-01T00:00:00.000Z' }));

    // Act
    const disabled = await updateEndpoint(caller, endpoint.id, { disabled: true }, deps);
    const enabled = await updateEndpoint(caller, endpoint.id, { disabled: false, description: 'prod' }, deps);

    // Assert
    expect(disabled).toMatchObject({ status: 'disabled', disabledReason: 'owner' });
    expect(enabled).toEqual({ ...endpoint, description: 'prod' });
  });

  it('checks a new URL as creation does', async () => {
    // Arrange
    const { deps } = setup();
    const live = { ...caller, mode: 'live' as const };
    const { endpoint } = await createEndpoint(live, { ...input, url: 'https://example.com/a' }, '', deps);

    // Act
    const updated = updateEndpoint(live, endpoint.id, { url: 'http://example.com/b' }, deps);

    // Assert
    await expect(updated).rejects.toMatchObject({ details: { field: 'url' } });
    expect(await getEndpoint(live, endpoint.id, deps)).toEqual(endpoint);
  });
});

describe('Function: tenancy', () => {
  it("answers NOT_FOUND for another merchant's or mode's endpoint and lists none of them", async () => {
    // Arrange
    const { deps } = setup();
    const { endpoint } = await createEndpoint(caller, input, '', deps);
    const others = [
      { ...caller, merchantId: 'mch_b' },
      { ...caller, mode: 'live' as const },
    ];

    // Act / Assert
    for (const other of others) {
      await expect(getEndpoint(other, endpoint.id, deps)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(updateEndpoint(other, endpoint.id, { disabled: true }, deps)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(deleteEndpoint(other, endpoint.id, deps)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await listEndpoints(other, { limit: 10 }, { ...deps, cursors })).endpoints).toEqual([]);
    }
    expect(await getEndpoint(caller, endpoint.id, deps)).toEqual(endpoint);
  });
});
