/** The local Stripe server's simulated outage (`/local/stripe/outage`), as the real SDK sees it. */
import Stripe from 'stripe';
import { type RunningStripeServer, startStripeServer } from '../../../local/stripe/server.js';
import { clientFor } from './stripe-client.js';

const SECRET_KEY = 'sk_test_local51TweenPaymentsOutageKey';

async function setOutage(server: RunningStripeServer, mode: string): Promise<Response> {
  return fetch(`${server.url}/local/stripe/outage`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mode }),
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('Route: PUT /local/stripe/outage', () => {
  let server: RunningStripeServer;
  let requests = 0;
  let stripe: Stripe;

  beforeEach(async () => {
    requests = 0;
    server = await startStripeServer({
      secretKey: SECRET_KEY,
      webhookSecret: 'whsec_local_outage',
      onRequest: () => {
        requests += 1;
      },
    });
    stripe = clientFor(server, SECRET_KEY);
  });

  afterEach(async () => {
    await server.close();
  });

  it('answers every API request 503 api_error while unavailable, counted, and normally once ended', async () => {
    // Arrange
    expect((await (await setOutage(server, 'unavailable')).json()) as unknown).toEqual({
      mode: 'unavailable',
    });

    // Act
    const error = await rejection(stripe.paymentMethods.retrieve('pm_card_visa'));
    await setOutage(server, 'none');
    const method = await stripe.paymentMethods.retrieve('pm_card_visa');

    // Assert
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error).toMatchObject({ statusCode: 503 });
    expect(method.card?.last4).toBe('4242');
    expect(requests).toBe(2);
  });

  it('drops the connection without an answer while unreachable', async () => {
    // Arrange
    await setOutage(server, 'unreachable');

    // Act
    const error = await rejection(stripe.paymentMethods.retrieve('pm_card_visa'));

    // Assert
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
  });

  it('refuses an unknown mode with 400 and reports the current one on GET', async () => {
    // Act
    const refused = await setOutage(server, 'sometimes');
    const current = await fetch(`${server.url}/local/stripe/outage`);

    // Assert
    expect(refused.status).toBe(400);
    expect(await current.json()).toEqual({ mode: 'none' });
  });
});
