/**
 * The plain pipeline (shared/http/plain-handler.ts) skips idempotency and per-caller limits, so it may only
 * serve routes the route table gives neither: every function whose entry uses it is checked here. And it
 * answers as the full pipeline does: results, text answers and mapped errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError } from '../../../shared/domain/errors.js';
import { plainHttpHandler } from '../../../shared/http/plain-handler.js';
import { functionDefinition, functionNames } from '../../../shared/infra/functions.js';
import { routes } from '../../../shared/infra/routes.js';
import { httpEvent, lambdaContext } from '../../support/events.js';

const ROOT = join(import.meta.dirname, '../../..');

const plainFunctions = functionNames.filter((name) =>
  readFileSync(join(ROOT, functionDefinition(name).entry), 'utf8').includes('plainHttpHandler'),
);

describe('Function: plainHttpHandler', () => {
  it('is used by every function whose routes take no key and count nothing, so none bundles idempotency', () => {
    expect([...plainFunctions].sort()).toEqual([
      'checkoutPage',
      'docs',
      'health',
      'healthIntegrations',
      'openapi',
      'paymentQuery',
      'paypalWebhookIngest',
      'walletBalance',
      'walletPaymentMethods',
      'walletTransactions',
      'webhookIngest',
    ]);
  });

  it.each(plainFunctions)('%s serves only routes that take no Idempotency-Key and count nothing', (name) => {
    const served = routes.filter((route) => route.fn === name);
    expect(served.length).toBeGreaterThan(0);
    for (const route of served) {
      expect(route.idempotency).toBe('none');
      expect(route.userRateLimit).toBeUndefined();
    }
  });

  it('answers a result as JSON and a text result as it is', async () => {
    // Arrange
    const json = plainHttpHandler({}, async () => ({ status: 200, body: { ok: true } }));
    const text = plainHttpHandler({}, async () => ({ status: 200, text: 'body{}', contentType: 'text/css' }));
    const event = httpEvent({ routeKey: 'GET /health', rawPath: '/health' });

    // Act
    const [jsonAnswer, textAnswer] = [await json(event, lambdaContext()), await text(event, lambdaContext())];

    // Assert
    expect(jsonAnswer).toMatchObject({ statusCode: 200, body: '{"ok":true}' });
    expect(jsonAnswer.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(textAnswer).toMatchObject({
      statusCode: 200,
      body: 'body{}',
      headers: { 'content-type': 'text/css' },
    });
  });

  it('maps an error to the one error shape', async () => {
    // Arrange
    const failing = plainHttpHandler({}, async () => {
      throw new NotFoundError('Route');
    });

    // Act
    const answer = await failing(httpEvent({ routeKey: 'GET /docs/x', rawPath: '/docs/x' }), lambdaContext());

    // Assert
    expect(answer.statusCode).toBe(404);
    expect(JSON.parse(answer.body ?? '')).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
