import { z } from 'zod';
import { $ZodError } from 'zod/v4/core';
import { PayloadTooLargeError, UnauthorizedError, ValidationError } from '../../../shared/domain/errors.js';
import { MAX_BODY_BYTES, parseRequest, rawBody } from '../../../shared/http/request.js';
import { httpEvent } from '../../support/events.js';

const Body = z.object({ amount: z.number().int().positive(), currency: z.string().length(3) });

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('Function: parseRequest', () => {
  describe('body', () => {
    it('returns the body parsed by the schema when the body is valid JSON', () => {
      // Arrange
      const event = httpEvent({ body: { amount: 500, currency: 'USD', extra: true } });

      // Act
      const request = parseRequest(event, { body: Body });

      // Assert
      expect(request.body).toEqual({ amount: 500, currency: 'USD' });
    });

    it('returns the body decoded from base64 when the event is base64-encoded', () => {
      // Arrange
      const encoded = Buffer.from(JSON.stringify({ amount: 7, currency: 'EUR' }), 'utf8').toString('base64');
      const event = httpEvent({ body: encoded, isBase64Encoded: true });

      // Act
      const request = parseRequest(event, { body: Body });

      // Assert
      expect(request.body).toEqual({ amount: 7, currency: 'EUR' });
    });

    it.each([
      ['absent', undefined],
      ['empty', ''],
      ['whitespace', '  \n '],
    ])('throws a ValidationError when the body is %s', (_kind, body) => {
      // Arrange
      const event = httpEvent(body === undefined ? {} : { body });

      // Act
      const error = thrownBy(() => parseRequest(event, { body: Body }));

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toHaveProperty('message', 'The request body must be a JSON document');
    });

    it.each([
      ['absent', undefined],
      ['empty', ''],
      ['whitespace', '  \n '],
    ])('reads a body that is %s as {} when every field of the schema is optional', (_kind, body) => {
      // Arrange: a cancel or a full capture, sent without parameters as Stripe's clients do
      const Optional = z.strictObject({ cancellation_reason: z.optional(z.string()) });
      const event = httpEvent(body === undefined ? {} : { body });

      // Act
      const request = parseRequest(event, { body: Optional });

      // Assert
      expect(request.body).toEqual({});
    });

    it.each(['application/x-www-form-urlencoded', 'text/plain', 'application/yaml'])(
      'throws a ValidationError for an empty body sent as %s, even when every field is optional',
      (contentType) => {
        // Arrange: a wrong content type is refused before the route looks anything up (#18)
        const Optional = z.strictObject({ cancellation_reason: z.optional(z.string()) });
        const event = httpEvent({ body: '', headers: { 'Content-Type': contentType } });

        // Act
        const error = thrownBy(() => parseRequest(event, { body: Optional }));

        // Assert
        expect(error).toBeInstanceOf(ValidationError);
      },
    );

    it.each(['application/json', 'application/json; charset=utf-8', 'application/merge-patch+json'])(
      'reads an empty body sent as %s as {} when every field is optional',
      (contentType) => {
        // Arrange
        const Optional = z.strictObject({ cancellation_reason: z.optional(z.string()) });
        const event = httpEvent({ body: '', headers: { 'content-type': contentType } });

        // Act
        const request = parseRequest(event, { body: Optional });

        // Assert
        expect(request.body).toEqual({});
      },
    );

    it('throws a ValidationError when the body is not valid JSON', () => {
      // Arrange
      const event = httpEvent({ body: '{"amount": 5,' });

      // Act
      const error = thrownBy(() => parseRequest(event, { body: Body }));

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toHaveProperty('code', 'VALIDATION_ERROR');
      expect(error).toHaveProperty('message', 'The request body is not valid JSON');
    });

    it('throws a ZodError when the JSON does not match the schema', () => {
      // Arrange
      const event = httpEvent({ body: { amount: -1, currency: 'USD' } });

      // Act
      const error = thrownBy(() => parseRequest(event, { body: Body }));

      // Assert
      expect(error).toBeInstanceOf($ZodError);
    });

    it('returns an undefined body without reading it when no body schema is given', () => {
      // Arrange
      const event = httpEvent({ body: 'not json at all' });

      // Act
      const request = parseRequest(event, {});

      // Assert
      expect(request.body).toBeUndefined();
    });
  });

  describe('body size', () => {
    it('accepts a body of exactly MAX_BODY_BYTES (64 KiB)', () => {
      // Arrange
      const event = httpEvent({ body: 'x'.repeat(MAX_BODY_BYTES) });

      // Act
      const request = parseRequest(event, {});

      // Assert
      expect(MAX_BODY_BYTES).toBe(65_536);
      expect(request.rawBody()).toHaveLength(MAX_BODY_BYTES);
    });

    it('throws PAYLOAD_TOO_LARGE for a body one byte over the limit, even on a route that reads no body', () => {
      // Arrange
      const event = httpEvent({ body: 'x'.repeat(MAX_BODY_BYTES + 1) });

      // Act
      const error = thrownBy(() => parseRequest(event, {}));

      // Assert
      expect(error).toBeInstanceOf(PayloadTooLargeError);
      expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: MAX_BODY_BYTES } });
    });

    it('counts bytes, not characters: a multi-byte body under the limit in characters is refused', () => {
      // Arrange: 'é' is two bytes in UTF-8
      const event = httpEvent({ body: 'é'.repeat(MAX_BODY_BYTES / 2 + 1) });

      // Act
      const error = thrownBy(() => parseRequest(event, {}));

      // Assert
      expect(error).toBeInstanceOf(PayloadTooLargeError);
    });

    it('counts the decoded bytes of a base64-encoded body', () => {
      // Arrange: MAX_BODY_BYTES decoded bytes are a third more as base64
      const atLimit = Buffer.alloc(MAX_BODY_BYTES, 1).toString('base64');
      const overLimit = Buffer.alloc(MAX_BODY_BYTES + 1, 1).toString('base64');

      // Act
      const accepted = parseRequest(httpEvent({ body: atLimit, isBase64Encoded: true }), {});
      const refused = thrownBy(() => parseRequest(httpEvent({ body: overLimit, isBase64Encoded: true }), {}));

      // Assert
      expect(accepted.rawBody().length).toBeGreaterThan(0);
      expect(refused).toBeInstanceOf(PayloadTooLargeError);
    });
  });

  describe('query and params', () => {
    const Query = z.object({
      limit: z.coerce.number().int().max(100).default(20),
      cursor: z.string().optional(),
    });
    const Params = z.object({ userId: z.string().startsWith('@') });

    it('returns the query string parameters parsed by the schema', () => {
      // Arrange
      const event = httpEvent({ query: { limit: '50', cursor: 'abc' } });

      // Act
      const request = parseRequest(event, { query: Query });

      // Assert
      expect(request.query).toEqual({ limit: 50, cursor: 'abc' });
    });

    it('returns the query defaults when the event has no query string', () => {
      // Arrange
      const event = httpEvent();

      // Act
      const request = parseRequest(event, { query: Query });

      // Assert
      expect(request.query).toEqual({ limit: 20 });
    });

    it('throws a ZodError when a query parameter is invalid', () => {
      // Arrange
      const event = httpEvent({ query: { limit: '1000' } });

      // Act & Assert
      expect(() => parseRequest(event, { query: Query })).toThrow($ZodError);
    });

    it('returns the path parameters parsed by the schema', () => {
      // Arrange
      const event = httpEvent({
        routeKey: 'GET /payments/v1/user/{userId}/balance',
        params: { userId: '@alice:tween.example' },
      });

      // Act
      const request = parseRequest(event, { params: Params });

      // Assert
      expect(request.params).toEqual({ userId: '@alice:tween.example' });
    });

    it('throws a ZodError when the event has no path parameters but the schema needs them', () => {
      // Arrange
      const event = httpEvent();

      // Act & Assert
      expect(() => parseRequest(event, { params: Params })).toThrow($ZodError);
    });

    it('returns undefined query and params when no schemas are given', () => {
      // Arrange
      const event = httpEvent({ query: { limit: '5' }, params: { userId: '@a:b' } });

      // Act
      const request = parseRequest(event, {});

      // Assert
      expect(request.query).toBeUndefined();
      expect(request.params).toBeUndefined();
    });
  });

  describe('headers and route', () => {
    it('returns the headers with lower-cased names', () => {
      // Arrange
      const event = httpEvent({
        headers: { 'Idempotency-Key': 'key-1', 'X-Request-ID': 'r-1', accept: '*/*' },
      });

      // Act
      const request = parseRequest(event, {});

      // Assert
      expect(request.headers).toEqual({ 'idempotency-key': 'key-1', 'x-request-id': 'r-1', accept: '*/*' });
    });

    it('returns the route key of the event', () => {
      // Arrange
      const event = httpEvent({ routeKey: 'POST /api/v1/payments/request' });

      // Act
      const request = parseRequest(event, {});

      // Assert
      expect(request.routeKey).toBe('POST /api/v1/payments/request');
    });
  });

  describe('Method: idempotencyKey', () => {
    it.each(['Idempotency-Key', 'idempotency-key', 'IDEMPOTENCY-KEY'])(
      'returns the key as sent whatever the case of the header name (%s)',
      (name) => {
        // Arrange
        const event = httpEvent({ headers: { [name]: 'Key 1/A' } });

        // Act
        const request = parseRequest(event, {});

        // Assert
        expect(request.idempotencyKey()).toBe('Key 1/A');
      },
    );

    it('returns an empty string when the request has no Idempotency-Key', () => {
      // Arrange
      const event = httpEvent({ headers: { accept: '*/*' } });

      // Act
      const request = parseRequest(event, {});

      // Assert
      expect(request.idempotencyKey()).toBe('');
    });
  });

  describe('Method: caller', () => {
    it('returns the sub and the roles when the roles claim is an array', () => {
      // Arrange
      const event = httpEvent({ claims: { sub: '@ops:tween.example', roles: ['ops', 'admin'] } });

      // Act
      const caller = parseRequest(event, {}).caller();

      // Assert
      expect(caller).toEqual({ userId: '@ops:tween.example', roles: ['ops', 'admin'] });
    });

    it('returns the roles when API Gateway passes them as the string "[ops admin]"', () => {
      // Arrange
      const event = httpEvent({ claims: { sub: '@ops:tween.example', roles: '[ops admin]' } });

      // Act
      const caller = parseRequest(event, {}).caller();

      // Assert
      expect(caller.roles).toEqual(['ops', 'admin']);
    });

    it('returns a single role when the string form holds one role', () => {
      // Arrange
      const event = httpEvent({ claims: { sub: '@ops:tween.example', roles: '[ops]' } });

      // Act
      const caller = parseRequest(event, {}).caller();

      // Assert
      expect(caller.roles).toEqual(['ops']);
    });

    it('returns no roles when the string form is empty', () => {
      // Arrange
      const event = httpEvent({ claims: { sub: '@alice:tween.example', roles: '[]' } });

      // Act
      const caller = parseRequest(event, {}).caller();

      // Assert
      expect(caller.roles).toEqual([]);
    });

    it('returns no roles when the token has no roles claim', () => {
      // Arrange
      const event = httpEvent({ claims: { sub: '@alice:tween.example' } });

      // Act
      const caller = parseRequest(event, {}).caller();

      // Assert
      expect(caller).toEqual({ userId: '@alice:tween.example', roles: [] });
    });

    it('throws an UnauthorizedError when the event has no authorizer', () => {
      // Arrange
      const request = parseRequest(httpEvent({ claims: null }), {});

      // Act & Assert
      expect(() => request.caller()).toThrow(UnauthorizedError);
    });

    it('throws an UnauthorizedError when the claims have no sub', () => {
      // Arrange
      const request = parseRequest(httpEvent({ claims: { roles: ['ops'] } }), {});

      // Act & Assert
      expect(() => request.caller()).toThrow(UnauthorizedError);
    });

    it('throws an UnauthorizedError when the sub is empty or not a string', () => {
      // Arrange
      const empty = parseRequest(httpEvent({ claims: { sub: '' } }), {});
      const numeric = parseRequest(httpEvent({ claims: { sub: 42 } }), {});

      // Act & Assert
      expect(() => empty.caller()).toThrow(UnauthorizedError);
      expect(() => numeric.caller()).toThrow(UnauthorizedError);
    });

    it('returns the request without throwing when the caller is never asked for on a public route', () => {
      // Arrange
      const event = httpEvent({ claims: null, routeKey: 'GET /health' });

      // Act
      const request = parseRequest(event, {});

      // Assert
      expect(request.routeKey).toBe('GET /health');
    });
  });
});

describe('Function: rawBody', () => {
  it('returns an empty string when there is no body', () => {
    // Arrange & Act & Assert
    expect(rawBody({ isBase64Encoded: false })).toBe('');
  });

  it('returns the body unchanged when it is not base64-encoded', () => {
    // Arrange & Act & Assert
    expect(rawBody({ body: 'a=1&b=2', isBase64Encoded: false })).toBe('a=1&b=2');
  });

  it('returns the exact UTF-8 text when the body is base64-encoded', () => {
    // Arrange
    const text = '{"note":"café ☕"}';

    // Act
    const decoded = rawBody({ body: Buffer.from(text, 'utf8').toString('base64'), isBase64Encoded: true });

    // Assert
    expect(decoded).toBe(text);
  });
});
