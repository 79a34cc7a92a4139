import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../../shared/domain/errors.js';
import { StepUpRequiredError } from '../../../shared/domain/step-up.js';
import { httpEvent, lambdaContext } from '../../support/events.js';

// Powertools reads its configuration when the instances are built (at import), so the handler module is
// imported only after the environment says: no metrics output, no X-Ray, no logs.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { httpHandler, json } = await import('../../../shared/http/handler.js');

const Body = z.object({ name: z.string().min(1) });

describe('Function: json', () => {
  it('returns the status, a JSON content type and the serialized body', () => {
    // Arrange & Act
    const response = json(201, { id: 'p_1' });

    // Assert
    expect(response).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json' },
      body: '{"id":"p_1"}',
    });
  });

  it('returns the extra headers next to the content type', () => {
    // Arrange & Act
    const response = json(200, {}, { 'idempotent-replayed': 'true' });

    // Assert
    expect(response.headers).toEqual({ 'content-type': 'application/json', 'idempotent-replayed': 'true' });
  });
});

describe('Function: httpHandler', () => {
  it('returns the handler result as a JSON response when the handler succeeds', async () => {
    // Arrange
    const handler = httpHandler({ body: Body }, async (request) => ({
      status: 201,
      body: { greeting: `hello ${request.body.name}`, caller: request.caller().userId },
      headers: { location: '/things/1' },
    }));
    const event = httpEvent({ routeKey: 'POST /things', body: { name: 'tween' } });

    // Act
    const response = await handler(event, lambdaContext());

    // Assert
    expect(response.statusCode).toBe(201);
    expect(response.headers).toEqual({ 'content-type': 'application/json', location: '/things/1' });
    expect(JSON.parse(response.body ?? '')).toEqual({
      greeting: 'hello tween',
      caller: '@alice:tween.example',
    });
  });

  it('returns a text result as is, with its content type, instead of as JSON', async () => {
    // Arrange
    const handler = httpHandler({}, async () => ({
      status: 200,
      text: '<!doctype html><title>Docs</title>',
      contentType: 'text/html; charset=utf-8',
      headers: { 'cache-control': 'no-cache' },
    }));
    const event = httpEvent({ routeKey: 'GET /docs' });

    // Act
    const response = await handler(event, lambdaContext());

    // Assert
    expect(response).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' },
      body: '<!doctype html><title>Docs</title>',
    });
  });

  it('returns the mapped status and error shape when the handler throws a DomainError', async () => {
    // Arrange
    const handler = httpHandler({}, async () => {
      throw new NotFoundError('Payment');
    });

    // Act
    const response = await handler(httpEvent({ routeKey: 'GET /payments/{id}' }), lambdaContext());

    // Assert
    expect(response.statusCode).toBe(404);
    expect(response.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(response.body ?? '')).toEqual({
      error: { code: 'NOT_FOUND', message: 'Payment was not found' },
    });
  });

  it('returns the details of a DomainError in the error shape', async () => {
    // Arrange
    const handler = httpHandler({}, async () => {
      throw new ValidationError('amount is too large', { max: 100 });
    });

    // Act
    const response = await handler(httpEvent(), lambdaContext());

    // Assert
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '')).toEqual({
      error: { code: 'VALIDATION_ERROR', message: 'amount is too large', details: { max: 100 } },
    });
  });

  it('hands out the route a use case names by path as an absolute URL of where the request arrived', async () => {
    // Arrange
    const handler = httpHandler({}, async () => {
      throw new StepUpRequiredError('@alice:tween.example', { purpose: 'factors' });
    });
    const event = httpEvent({ routeKey: 'PUT /payments/v1/user/{userId}/mfa/pin' });

    // Act
    const response = await handler(event, lambdaContext());

    // Assert
    expect(response.statusCode).toBe(428);
    expect(JSON.parse(response.body ?? '').error.details).toEqual({
      challengeUrl: 'https://api.tween.example/payments/v1/user/%40alice%3Atween.example/mfa/step-up',
      purpose: 'factors',
    });
  });

  it('gives the handler the absolute URL of one of the API paths', async () => {
    // Arrange
    const handler = httpHandler({}, async (request) => ({
      status: 200,
      body: { url: request.url('/health') },
    }));
    const event = httpEvent({ headers: { 'x-forwarded-proto': 'http' } });

    // Act
    const response = await handler(
      { ...event, requestContext: { ...event.requestContext, domainName: '127.0.0.1:4000' } },
      lambdaContext(),
    );

    // Assert
    expect(JSON.parse(response.body ?? '')).toEqual({ url: 'http://127.0.0.1:4000/health' });
  });

  it('returns a generic 500 without message or stack when the handler throws a plain Error', async () => {
    // Arrange
    const handler = httpHandler({}, async () => {
      throw new Error('DynamoDB said: ProvisionedThroughputExceededException on tween-prod');
    });

    // Act
    const response = await handler(httpEvent(), lambdaContext());

    // Assert
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body ?? '')).toEqual({
      error: { code: 'INTERNAL', message: 'Something went wrong on our side' },
    });
    expect(response.body).not.toContain('DynamoDB');
    expect(response.body).not.toContain('stack');
    expect(response.body).not.toContain('.ts:');
  });

  it('returns 400 VALIDATION_ERROR without calling the handler when the body is malformed JSON', async () => {
    // Arrange
    let called = false;
    const handler = httpHandler({ body: Body }, async () => {
      called = true;
      return { status: 200, body: {} };
    });

    // Act
    const response = await handler(httpEvent({ body: '{"name": ' }), lambdaContext());

    // Assert
    expect(called).toBe(false);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '')).toEqual({
      error: { code: 'VALIDATION_ERROR', message: 'The request body is not valid JSON' },
    });
  });

  it('returns 413 PAYLOAD_TOO_LARGE in the one error shape without calling the handler when the body is over 64 KiB', async () => {
    // Arrange
    let called = false;
    const handler = httpHandler({ body: Body }, async () => {
      called = true;
      return { status: 200, body: {} };
    });
    const body = JSON.stringify({ name: 'x'.repeat(64 * 1024) });

    // Act
    const response = await handler(httpEvent({ body }), lambdaContext());

    // Assert
    expect(called).toBe(false);
    expect(response.statusCode).toBe(413);
    expect(JSON.parse(response.body ?? '')).toEqual({
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The request body is larger than 65536 bytes',
        details: { limitBytes: 65_536 },
      },
    });
  });

  it('returns 400 VALIDATION_ERROR with the issues when the body breaks the schema', async () => {
    // Arrange
    const handler = httpHandler({ body: Body }, async () => ({ status: 200, body: {} }));

    // Act
    const response = await handler(httpEvent({ body: { name: '' } }), lambdaContext());

    // Assert
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '')).toEqual({
      error: {
        code: 'VALIDATION_ERROR',
        message: 'The request is not valid',
        details: { issues: [{ path: 'name', message: expect.any(String) }] },
      },
    });
  });

  it('returns 401 UNAUTHORIZED when the handler asks for the caller of an event without claims', async () => {
    // Arrange
    const handler = httpHandler({}, async (request) => ({ status: 200, body: request.caller() }));

    // Act
    const response = await handler(httpEvent({ claims: null }), lambdaContext());

    // Assert
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body ?? '')).toEqual({
      error: { code: 'UNAUTHORIZED', message: 'A valid bearer token is required' },
    });
  });

  it('returns independent answers when one handler is invoked twice', async () => {
    // Arrange
    const handler = httpHandler({ body: Body }, async (request) => ({ status: 200, body: request.body }));

    // Act
    const first = await handler(httpEvent({ body: { name: 'one' } }), lambdaContext());
    const second = await handler(httpEvent({ body: '' }), lambdaContext());
    const third = await handler(httpEvent({ body: { name: 'three' } }), lambdaContext());

    // Assert
    expect([first.statusCode, second.statusCode, third.statusCode]).toEqual([200, 400, 200]);
    expect(third.body).toBe('{"name":"three"}');
  });
});
