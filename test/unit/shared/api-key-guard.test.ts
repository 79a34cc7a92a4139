import { guardApiKeyRoute } from '../../../shared/http/api-key-guard.js';
import { idempotencyScope } from '../../../shared/http/idempotency.js';
import { httpEvent } from '../../support/events.js';

function merchantEvent(routeKey: string, context: Record<string, string> | undefined, headers = {}) {
  const event = httpEvent({ routeKey, claims: null, headers });
  return {
    ...event,
    requestContext: {
      ...event.requestContext,
      authorizer: {
        ...event.requestContext.authorizer,
        ...(context === undefined ? {} : { lambda: context }),
      },
    },
  } as typeof event;
}

const KEY = { merchantId: 'mch_1', mode: 'test', keyId: 'key_1' };

describe('Function: guardApiKeyRoute', () => {
  it('passes a key with the route scope', () => {
    expect(() =>
      guardApiKeyRoute(merchantEvent('POST /v1/apps', { ...KEY, scopes: 'payments:read payments:write' })),
    ).not.toThrow();
  });

  it('refuses a key without the route scope with INSUFFICIENT_SCOPE (403)', () => {
    expect(() =>
      guardApiKeyRoute(merchantEvent('POST /v1/apps', { ...KEY, scopes: 'payments:read' })),
    ).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_SCOPE' }));
  });

  it('refuses a request the authorizer named no merchant for with INVALID_API_KEY (401)', () => {
    expect(() => guardApiKeyRoute(merchantEvent('GET /v1/apps', {}))).toThrow(
      expect.objectContaining({ code: 'INVALID_API_KEY' }),
    );
    expect(() => guardApiKeyRoute(merchantEvent('GET /v1/apps', undefined))).toThrow(
      expect.objectContaining({ code: 'INVALID_API_KEY' }),
    );
  });

  it('leaves every other route alone', () => {
    expect(() => guardApiKeyRoute(merchantEvent('GET /health', undefined))).not.toThrow();
  });
});

describe('Function: idempotencyScope on the merchant API', () => {
  it('scopes a key to the merchant and mode, not to a user', () => {
    // Arrange
    const headers = { 'idempotency-key': 'k-1' };
    const test = merchantEvent('POST /v1/apps', { ...KEY, scopes: 'payments:write' }, headers);
    const live = merchantEvent('POST /v1/apps', { ...KEY, mode: 'live', scopes: 'payments:write' }, headers);

    // Act & Assert
    expect(idempotencyScope(test, 'optional')?.caller).toBe('merchant:mch_1:test');
    expect(idempotencyScope(live, 'optional')?.caller).toBe('merchant:mch_1:live');
  });
});
