import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import Stripe from 'stripe';
import { type RunningStripeServer, startStripeServer } from '../../../local/stripe/server.js';
import { signatureHeader } from '../../../local/stripe/webhooks.js';
import { stripeConfigFromEnv } from '../../../shared/adapters/stripe/config.js';
import { mapStripeError } from '../../../shared/adapters/stripe/map-error.js';
import {
  StripePaymentProvider,
  type StripeProviderConfig,
} from '../../../shared/adapters/stripe/stripe-provider.js';
import { withDeadline } from '../../../shared/app/deadline.js';
import type { PaymentProvider } from '../../../shared/app/payments/ports.js';
import { DomainError, type ErrorCode } from '../../../shared/domain/errors.js';
import {
  ExpiredCardError,
  PaymentDeclinedError,
  ProcessorError,
  ProviderStateConflictError,
  UnknownPaymentMethodError,
  WebhookSignatureError,
} from '../../../shared/domain/provider-errors.js';
import { mapError, statusOf } from '../../../shared/http/errors.js';

const SECRET_KEY = 'sk_test_local51TweenPaymentsAdapterKey';
const WEBHOOK_SECRET = 'whsec_local_adapter_signing_secret';
const RETURN_URL = 'https://app.tween.example/payments/return';

/** Stripe wording and ids that must never reach a message or a response body. */
const STRIPE_TEXT = /req_|No such|Your card|Invalid API Key|stripe|sk_test|pi_|ch_/i;

interface LocalEvent {
  type: string;
  data: { object: { id: string; payment_intent?: string } };
}

function newKey(): string {
  return `tp_${randomUUID()}`;
}

/** The error a promise rejects with; fails the test when it resolves. */
async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

function expectNoStripeText(error: unknown): void {
  expect(error).toBeInstanceOf(DomainError);
  if (!(error instanceof DomainError)) return;
  expect(error.message).not.toMatch(STRIPE_TEXT);
  expect(JSON.stringify(mapError(error).body)).not.toMatch(STRIPE_TEXT);
}

async function localEvents(server: RunningStripeServer, type: string): Promise<LocalEvent[]> {
  const response = await fetch(`${server.url}/local/stripe/events?type=${encodeURIComponent(type)}`);
  const list = (await response.json()) as { data: Array<{ event: LocalEvent }> };
  return list.data.map((record) => record.event);
}

/** A TCP port nothing listens on: taken from a server that was started and closed again. */
async function closedPort(): Promise<number> {
  const probe = await startStripeServer({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET });
  await probe.close();
  return probe.port;
}

/** A server that accepts requests and never answers them. */
async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('Class: StripePaymentProvider', () => {
  let server: RunningStripeServer;
  let provider: PaymentProvider;

  function providerFor(overrides: Partial<StripeProviderConfig> = {}): StripePaymentProvider {
    return new StripePaymentProvider({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      apiBase: server.url,
      maxNetworkRetries: 0,
      ...overrides,
    });
  }

  function pay(paymentMethodId: string, amount = 1000, currency = 'USD') {
    return provider.createPayment({
      idempotencyKey: newKey(),
      amount,
      currency,
      paymentMethodId,
      capture: 'automatic',
    });
  }

  function authorize(amount = 1000) {
    return provider.createPayment({
      idempotencyKey: newKey(),
      amount,
      currency: 'USD',
      paymentMethodId: 'pm_card_visa',
      capture: 'manual',
    });
  }

  /** The SDK itself, to look at what the adapter sent. */
  function rawClient(): Stripe {
    return new Stripe(SECRET_KEY, {
      host: '127.0.0.1',
      port: server.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
  }

  beforeAll(async () => {
    server = await startStripeServer({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET });
    provider = providerFor();
  });

  afterAll(async () => {
    await server.close();
  });

  describe('Method: createPayment', () => {
    it('returns a succeeded payment with the amount received when the card is pm_card_visa', async () => {
      // Arrange
      const input = {
        idempotencyKey: newKey(),
        amount: 2599,
        currency: 'USD',
        paymentMethodId: 'pm_card_visa',
        description: 'Mini-app purchase',
        metadata: { paymentId: 'tp_123' },
        capture: 'automatic' as const,
      };

      // Act
      const payment = await provider.createPayment(input);

      // Assert
      expect(payment).toEqual({
        provider: 'stripe',
        id: expect.stringMatching(/^pi_/),
        status: 'succeeded',
        amount: 2599,
        amountReceived: 2599,
        currency: 'USD',
        metadata: { paymentId: 'tp_123' },
      });
      const sent = await rawClient().paymentIntents.retrieve(payment.id);
      expect(sent).toMatchObject({
        currency: 'usd',
        capture_method: 'automatic',
        description: 'Mini-app purchase',
        metadata: { paymentId: 'tp_123' },
      });
    });

    it.each([
      ['JPY', 1050],
      ['KWD', 1050],
      ['USD', 1050],
    ])('returns exactly the minor units sent when the currency is %s', async (currency, amount) => {
      // Arrange & Act
      const payment = await pay('pm_card_visa', amount, currency);

      // Assert
      expect(payment).toMatchObject({ amount, amountReceived: amount, currency });
      const stored = await provider.retrievePayment(payment.id);
      expect(stored).toMatchObject({ amount, amountReceived: amount, currency });
    });

    it('returns requires_capture with nothing received when capture is manual', async () => {
      // Arrange & Act
      const payment = await authorize(1500);

      // Assert
      expect(payment).toMatchObject({ status: 'requires_capture', amount: 1500, amountReceived: 0 });
    });

    it('returns the same payment and charges once when the same idempotency key is used twice', async () => {
      // Arrange
      const input = {
        idempotencyKey: newKey(),
        amount: 700,
        currency: 'EUR',
        paymentMethodId: 'pm_card_visa',
        capture: 'automatic' as const,
      };

      // Act
      const first = await provider.createPayment(input);
      const retry = await provider.createPayment(input);

      // Assert
      expect(retry).toEqual(first);
      const charges = await localEvents(server, 'charge.succeeded');
      expect(charges.filter((event) => event.data.object.payment_intent === first.id)).toHaveLength(1);
    });

    it('returns one payment and charges once when two calls with the same key run concurrently', async () => {
      // Arrange
      const input = {
        idempotencyKey: newKey(),
        amount: 800,
        currency: 'GBP',
        paymentMethodId: 'pm_card_visa',
        capture: 'automatic' as const,
      };

      // Act
      const [first, twin] = await Promise.all([provider.createPayment(input), provider.createPayment(input)]);

      // Assert
      expect(twin.id).toBe(first.id);
      const charges = await localEvents(server, 'charge.succeeded');
      expect(charges.filter((event) => event.data.object.payment_intent === first.id)).toHaveLength(1);
    });

    it.each([
      ['pm_card_chargeDeclined', 'generic_decline'],
      ['pm_card_insufficientFunds', 'insufficient_funds'],
      ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc'],
      ['pm_card_chargeDeclinedProcessingError', 'processing_error'],
      ['pm_card_chargeDeclinedStolenCard', 'generic_decline'],
    ])('throws PaymentDeclinedError (402) when the card is %s', async (card, declineCode) => {
      // Arrange & Act
      const error = await failureOf(pay(card));

      // Assert
      expect(error).toBeInstanceOf(PaymentDeclinedError);
      expect(error).toMatchObject({
        code: 'PAYMENT_DECLINED',
        details: { declineCode },
        providerPaymentId: expect.stringMatching(/^pi_/),
      });
      expect(statusOf.PAYMENT_DECLINED).toBe(402);
      expectNoStripeText(error);
    });

    it('throws ExpiredCardError (400) when the card is pm_card_expired', async () => {
      // Arrange & Act
      const error = await failureOf(pay('pm_card_expired'));

      // Assert
      expect(error).toBeInstanceOf(ExpiredCardError);
      expect(error).toMatchObject({ code: 'EXPIRED_CARD' });
      expect(statusOf.EXPIRED_CARD).toBe(400);
      expect(mapError(error).status).toBe(400);
      expectNoStripeText(error);
    });

    it('returns requires_action with the 3-D Secure page when the card needs authentication', async () => {
      // Arrange & Act
      const payment = await pay('pm_card_authenticationRequired');

      // Assert
      expect(payment).toMatchObject({ status: 'requires_action', amountReceived: 0 });
      expect(payment.nextActionUrl).toBe(
        `${server.url}/local/stripe/payment_intents/${payment.id}/authenticate`,
      );
    });

    it('returns requires_action with the redirect URL when a return URL is configured', async () => {
      // Arrange
      const redirecting = providerFor({ returnUrl: RETURN_URL });

      // Act
      const payment = await redirecting.createPayment({
        idempotencyKey: newKey(),
        amount: 1200,
        currency: 'USD',
        paymentMethodId: 'pm_card_threeDSecure2Required',
        capture: 'automatic',
      });

      // Assert
      expect(payment.status).toBe('requires_action');
      expect(payment.nextActionUrl).toBe(
        `${server.url}/local/stripe/payment_intents/${payment.id}/authenticate`,
      );
      const sent = await rawClient().paymentIntents.retrieve(payment.id);
      expect(sent.next_action).toMatchObject({
        type: 'redirect_to_url',
        redirect_to_url: { return_url: RETURN_URL },
      });
    });

    it('throws UnknownPaymentMethodError (VALIDATION_ERROR) when the payment method does not exist', async () => {
      // Arrange & Act
      const error = await failureOf(pay('pm_does_not_exist'));

      // Assert
      expect(error).toBeInstanceOf(UnknownPaymentMethodError);
      expect(error).toMatchObject({ code: 'VALIDATION_ERROR', message: 'Unknown payment method' });
      expectNoStripeText(error);
    });

    it('throws ProcessorError when the idempotency key was used for a different request', async () => {
      // Arrange
      const idempotencyKey = newKey();
      const input = {
        idempotencyKey,
        currency: 'USD',
        paymentMethodId: 'pm_card_visa',
        capture: 'automatic' as const,
      };
      await provider.createPayment({ ...input, amount: 100 });

      // Act
      const error = await failureOf(provider.createPayment({ ...input, amount: 200 }));

      // Assert
      expect(error).toBeInstanceOf(ProcessorError);
      expectNoStripeText(error);
    });

    it('throws ProcessorError (502) quickly when nothing listens at the API base', async () => {
      // Arrange
      const down = providerFor({ apiBase: `http://127.0.0.1:${await closedPort()}`, maxNetworkRetries: 1 });
      const started = Date.now();

      // Act
      const error = await failureOf(
        down.createPayment({
          idempotencyKey: newKey(),
          amount: 100,
          currency: 'USD',
          paymentMethodId: 'pm_card_visa',
          capture: 'automatic',
        }),
      );

      // Assert
      expect(error).toBeInstanceOf(ProcessorError);
      expect(error).toMatchObject({ name: 'ProcessorError', code: 'PROCESSOR_ERROR' });
      expect(mapError(error).status).toBe(502);
      expect(Date.now() - started).toBeLessThan(5000);
      expectNoStripeText(error);
    });

    it('throws ProcessorError when the server does not answer within the timeout', async () => {
      // Arrange
      const silent = await startSilentServer();
      const slow = providerFor({ apiBase: silent.url, timeoutMs: 200 });

      try {
        // Act
        const error = await failureOf(slow.retrievePayment('pi_anything'));

        // Assert
        expect(error).toBeInstanceOf(ProcessorError);
      } finally {
        await silent.close();
      }
    });

    it("throws ProcessorError when the server does not answer within the request's budget, long before its own timeout", async () => {
      // Arrange
      const silent = await startSilentServer();
      const slow = providerFor({ apiBase: silent.url, timeoutMs: 60_000 });
      const started = Date.now();

      try {
        // Act
        const error = await failureOf(withDeadline(started + 300, () => slow.retrievePayment('pi_anything')));

        // Assert: ended by the 300 ms budget (a generous bound), not the 60 s timeout.
        expect(error).toBeInstanceOf(ProcessorError);
        expect(Date.now() - started).toBeLessThan(20_000);
      } finally {
        await silent.close();
      }
    });

    it('throws ProcessorError when the secret key is refused', async () => {
      // Arrange
      const misconfigured = providerFor({ secretKey: 'sk_test_not_the_right_key' });

      // Act
      const error = await failureOf(
        misconfigured.createPayment({
          idempotencyKey: newKey(),
          amount: 100,
          currency: 'USD',
          paymentMethodId: 'pm_card_visa',
          capture: 'automatic',
        }),
      );

      // Assert
      expect(error).toBeInstanceOf(ProcessorError);
      expect(error).toMatchObject({ cause: expect.any(Stripe.errors.StripeAuthenticationError) });
      expectNoStripeText(error);
    });
  });

  describe('Method: capturePayment', () => {
    it('returns succeeded with the full amount received when no amount is given', async () => {
      // Arrange
      const authorized = await authorize(1000);

      // Act
      const captured = await provider.capturePayment(authorized.id, newKey());

      // Assert
      expect(captured).toMatchObject({
        id: authorized.id,
        status: 'succeeded',
        amount: 1000,
        amountReceived: 1000,
      });
    });

    it('returns succeeded with part of the amount received when a smaller amount is given', async () => {
      // Arrange
      const authorized = await authorize(1000);

      // Act
      const captured = await provider.capturePayment(authorized.id, newKey(), 600);

      // Assert
      expect(captured).toMatchObject({ status: 'succeeded', amount: 1000, amountReceived: 600 });
    });

    it('returns the first capture again when the same idempotency key is retried', async () => {
      // Arrange
      const authorized = await authorize(900);
      const key = newKey();
      const first = await provider.capturePayment(authorized.id, key, 400);

      // Act
      const retry = await provider.capturePayment(authorized.id, key, 400);

      // Assert
      expect(retry).toEqual(first);
    });

    it('throws ProviderStateConflictError (409) when the payment was already captured', async () => {
      // Arrange
      const authorized = await authorize(1000);
      await provider.capturePayment(authorized.id, newKey());

      // Act
      const error = await failureOf(provider.capturePayment(authorized.id, newKey()));

      // Assert
      expect(error).toBeInstanceOf(ProviderStateConflictError);
      expect(error).toMatchObject({ code: 'INVALID_STATE_TRANSITION', providerStatus: 'succeeded' });
      expect(mapError(error).status).toBe(409);
      expectNoStripeText(error);
    });
  });

  describe('Method: cancelPayment', () => {
    it('returns canceled when an authorization is cancelled', async () => {
      // Arrange
      const authorized = await authorize(1000);

      // Act
      const cancelled = await provider.cancelPayment(authorized.id, newKey());

      // Assert
      expect(cancelled).toMatchObject({ id: authorized.id, status: 'canceled', amountReceived: 0 });
    });

    it('throws ProviderStateConflictError when the payment already succeeded', async () => {
      // Arrange
      const payment = await pay('pm_card_visa');

      // Act
      const error = await failureOf(provider.cancelPayment(payment.id, newKey()));

      // Assert
      expect(error).toBeInstanceOf(ProviderStateConflictError);
    });
  });

  describe('Method: confirmPayment', () => {
    it('returns requires_action again when a payment awaiting authentication is confirmed again', async () => {
      // Arrange
      const pending = await pay('pm_card_authenticationRequired');

      // Act
      const confirmed = await provider.confirmPayment(pending.id, newKey());

      // Assert
      expect(confirmed).toMatchObject({ id: pending.id, status: 'requires_action' });
      expect(confirmed.nextActionUrl).toEqual(expect.stringContaining(pending.id));
    });

    it('throws ProviderStateConflictError when the payment already succeeded', async () => {
      // Arrange
      const payment = await pay('pm_card_visa');

      // Act
      const error = await failureOf(provider.confirmPayment(payment.id, newKey()));

      // Assert
      expect(error).toBeInstanceOf(ProviderStateConflictError);
    });
  });

  describe('Method: retrievePayment', () => {
    it('returns succeeded when the payer completed the 3-D Secure challenge', async () => {
      // Arrange
      const pending = await pay('pm_card_authenticationRequired', 3000);
      await fetch(`${server.url}/local/stripe/payment_intents/${pending.id}/authenticate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ outcome: 'succeed' }),
      });

      // Act
      const payment = await provider.retrievePayment(pending.id);

      // Assert
      expect(payment).toEqual({
        provider: 'stripe',
        id: pending.id,
        status: 'succeeded',
        amount: 3000,
        amountReceived: 3000,
        currency: 'USD',
      });
    });

    it('returns the metadata and the reason when 3-D Secure failed', async () => {
      // Arrange
      const pending = await provider.createPayment({
        idempotencyKey: newKey(),
        amount: 3000,
        currency: 'USD',
        paymentMethodId: 'pm_card_authenticationRequired',
        metadata: { topupId: 'tu_1' },
        capture: 'automatic',
      });
      await fetch(`${server.url}/local/stripe/payment_intents/${pending.id}/authenticate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ outcome: 'fail' }),
      });

      // Act
      const payment = await provider.retrievePayment(pending.id);

      // Assert
      expect(payment).toMatchObject({
        status: 'requires_payment_method',
        metadata: { topupId: 'tu_1' },
        failureCode: 'authentication_failed',
      });
    });

    it('throws ProcessorError when the payment id is unknown to the processor', async () => {
      // Arrange & Act
      const error = await failureOf(provider.retrievePayment('pi_doesnotexist000000000000'));

      // Assert
      expect(error).toBeInstanceOf(ProcessorError);
      expectNoStripeText(error);
    });
  });

  describe('Method: refund', () => {
    it('returns a succeeded refund of part, then of the rest, when amounts are given then omitted', async () => {
      // Arrange
      const payment = await pay('pm_card_visa', 1000, 'JPY');

      // Act
      const partial = await provider.refund({ paymentId: payment.id, idempotencyKey: newKey(), amount: 300 });
      const rest = await provider.refund({ paymentId: payment.id, idempotencyKey: newKey() });

      // Assert
      expect(partial).toEqual({
        provider: 'stripe',
        id: expect.stringMatching(/^re_/),
        paymentId: payment.id,
        amount: 300,
        currency: 'JPY',
        status: 'succeeded',
      });
      expect(rest).toMatchObject({
        paymentId: payment.id,
        amount: 700,
        currency: 'JPY',
        status: 'succeeded',
      });
      expect(rest.id).not.toBe(partial.id);
    });

    it('attaches our metadata and reads a pending refund again once Stripe settled it', async () => {
      // Arrange
      const payment = await pay('pm_card_visa', 800);
      const mode = (value: string) =>
        fetch(`${server.url}/local/stripe/refund_mode`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ mode: value }),
        });
      await mode('pending');
      let pending: Awaited<ReturnType<typeof provider.refund>>;
      try {
        pending = await provider.refund({
          paymentId: payment.id,
          idempotencyKey: newKey(),
          metadata: { refundId: 'rf_1', paymentId: 'pay_1' },
        });
      } finally {
        await mode('succeeded');
      }
      await fetch(`${server.url}/local/stripe/refunds/${pending.id}/settle`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ outcome: 'fail' }),
      });

      // Act
      const now = await provider.retrieveRefund(payment.id, pending.id);

      // Assert
      expect(pending).toMatchObject({
        status: 'pending',
        metadata: { refundId: 'rf_1', paymentId: 'pay_1' },
      });
      expect(now).toEqual({ ...pending, status: 'failed' });
    });

    it('returns the same refund when the same idempotency key is retried', async () => {
      // Arrange
      const payment = await pay('pm_card_visa', 500);
      const input = { paymentId: payment.id, idempotencyKey: newKey(), amount: 200 };
      const first = await provider.refund(input);

      // Act
      const retry = await provider.refund(input);

      // Assert
      expect(retry).toEqual(first);
    });

    it('throws ProviderStateConflictError when the payment is already fully refunded', async () => {
      // Arrange
      const payment = await pay('pm_card_visa', 500);
      await provider.refund({ paymentId: payment.id, idempotencyKey: newKey() });

      // Act
      const error = await failureOf(provider.refund({ paymentId: payment.id, idempotencyKey: newKey() }));

      // Assert
      expect(error).toBeInstanceOf(ProviderStateConflictError);
      expectNoStripeText(error);
    });
  });

  describe('Method: retrieveCard', () => {
    it('returns the brand, last four digits, expiry and fingerprint of a card', async () => {
      // Arrange & Act
      const card = await provider.retrieveCard('pm_card_mastercard');

      // Assert
      expect(card).toEqual({
        id: expect.stringMatching(/^pm_/),
        brand: 'mastercard',
        last4: '4444',
        expMonth: expect.any(Number),
        expYear: expect.any(Number),
        fingerprint: expect.any(String),
      });
    });

    it('throws UnknownPaymentMethodError when the payment method does not exist', async () => {
      // Arrange & Act
      const error = await failureOf(provider.retrieveCard('pm_does_not_exist'));

      // Assert
      expect(error).toBeInstanceOf(UnknownPaymentMethodError);
      expectNoStripeText(error);
    });
  });

  describe('Methods: createCustomer and attachCard', () => {
    it('creates one customer per idempotency key, as concurrent first uses of one user send', async () => {
      // Arrange
      const key = `customer:${newKey()}`;

      // Act
      const [first, twin] = await Promise.all([
        provider.createCustomer({ userId: '@alice:tween.example', idempotencyKey: key }),
        provider.createCustomer({ userId: '@alice:tween.example', idempotencyKey: key }),
      ]);

      // Assert
      expect(first).toMatch(/^cus_/);
      expect(twin).toBe(first);
    });

    it("attaches a test token as a new card of the customer, which retrieveCard reports as the customer's", async () => {
      // Arrange
      const customerId = await provider.createCustomer({
        userId: '@alice:tween.example',
        idempotencyKey: newKey(),
      });

      // Act
      const card = await provider.attachCard({
        paymentMethodId: 'pm_card_visa',
        customerId,
        idempotencyKey: newKey(),
      });

      // Assert
      expect(card).toMatchObject({
        id: expect.stringMatching(/^pm_/),
        brand: 'visa',
        last4: '4242',
        customerId,
      });
      expect(card.id).not.toBe('pm_card_visa');
      expect(await provider.retrieveCard(card.id)).toEqual(card);
    });

    it("throws UnknownPaymentMethodError, as for a card that does not exist, when the card is another customer's", async () => {
      // Arrange
      const alice = await provider.createCustomer({
        userId: '@alice:tween.example',
        idempotencyKey: newKey(),
      });
      const bob = await provider.createCustomer({ userId: '@bob:tween.example', idempotencyKey: newKey() });
      const alices = await provider.attachCard({
        paymentMethodId: 'pm_card_visa',
        customerId: alice,
        idempotencyKey: newKey(),
      });

      // Act
      const error = await failureOf(
        provider.attachCard({ paymentMethodId: alices.id, customerId: bob, idempotencyKey: newKey() }),
      );

      // Assert
      expect(error).toBeInstanceOf(UnknownPaymentMethodError);
      expectNoStripeText(error);
    });

    it('charges the card for the customer named, on the PaymentIntent', async () => {
      // Arrange
      const customerId = await provider.createCustomer({
        userId: '@alice:tween.example',
        idempotencyKey: newKey(),
      });
      const card = await provider.attachCard({
        paymentMethodId: 'pm_card_visa',
        customerId,
        idempotencyKey: newKey(),
      });

      // Act
      const payment = await provider.createPayment({
        idempotencyKey: newKey(),
        amount: 700,
        currency: 'USD',
        paymentMethodId: card.id,
        customerId,
        capture: 'automatic',
      });

      // Assert
      expect(payment.status).toBe('succeeded');
      const intent = await rawClient().paymentIntents.retrieve(payment.id);
      expect(intent.customer).toBe(customerId);
    });
  });

  describe('Method: verifyWebhook', () => {
    const payload = JSON.stringify({
      id: 'evt_1TweenTest',
      object: 'event',
      type: 'payment_intent.succeeded',
      created: 1_767_225_600,
      data: { object: { id: 'pi_1TweenTest', object: 'payment_intent', status: 'succeeded' } },
    });

    function header(overrides: Partial<Stripe.WebhookTestHeaderOptions> = {}): string {
      return Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, ...overrides });
    }

    it('accepts a signature dated up to the tolerance ahead (a sender clock slightly fast)', async () => {
      // Arrange
      const signature = header({ timestamp: Math.floor(Date.now() / 1000) + 240 });

      // Act
      const event = await provider.verifyWebhook(payload, { 'stripe-signature': signature });

      // Assert
      expect(event).toMatchObject({ provider: 'stripe', id: 'evt_1TweenTest' });
    });

    it('returns the parsed event when the signature is valid', async () => {
      // Arrange
      const signature = header();

      // Act
      const event = await provider.verifyWebhook(payload, { 'stripe-signature': signature });

      // Assert
      expect(event).toEqual({
        provider: 'stripe',
        id: 'evt_1TweenTest',
        type: 'payment_intent.succeeded',
        objectId: 'pi_1TweenTest',
        paymentId: 'pi_1TweenTest',
        createdAt: '2026-01-01T00:00:00.000Z',
        payload: JSON.parse(payload),
      });
    });

    it('names the payment and keeps the refunded amount when a charge was refunded', async () => {
      // Arrange
      const body = JSON.stringify({
        id: 'evt_refund',
        object: 'event',
        type: 'charge.refunded',
        created: 1_767_225_600,
        data: {
          object: {
            id: 'ch_1',
            object: 'charge',
            payment_intent: 'pi_1',
            amount_refunded: 500,
            currency: 'usd',
          },
        },
      });

      // Act
      const event = await provider.verifyWebhook(body, { 'stripe-signature': signed(body) });

      // Assert
      expect(event).toMatchObject({
        objectId: 'ch_1',
        paymentId: 'pi_1',
        details: { chargeId: 'ch_1', amountRefunded: 500, currency: 'USD' },
      });
    });

    it("names the payment and keeps the dispute's id, amount and reason when a charge is disputed", async () => {
      // Arrange
      const body = JSON.stringify({
        id: 'evt_dispute',
        object: 'event',
        type: 'charge.dispute.created',
        created: 1_767_225_600,
        data: {
          object: {
            id: 'dp_1',
            object: 'dispute',
            charge: 'ch_1',
            payment_intent: { id: 'pi_1' },
            amount: 2000,
            currency: 'usd',
            reason: 'fraudulent',
            status: 'needs_response',
          },
        },
      });

      // Act
      const event = await provider.verifyWebhook(body, { 'stripe-signature': signed(body) });

      // Assert
      expect(event).toMatchObject({
        objectId: 'dp_1',
        paymentId: 'pi_1',
        details: {
          disputeId: 'dp_1',
          chargeId: 'ch_1',
          amount: 2000,
          currency: 'USD',
          reason: 'fraudulent',
          status: 'needs_response',
        },
      });
    });

    it('names no payment when the object carries none', async () => {
      // Arrange
      const body = JSON.stringify({
        id: 'evt_customer',
        object: 'event',
        type: 'customer.created',
        created: 1_767_225_600,
        data: { object: { id: 'cus_1', object: 'customer' } },
      });

      // Act
      const event = await provider.verifyWebhook(body, { 'stripe-signature': signed(body) });

      // Assert
      expect(event.paymentId).toBeUndefined();
      expect(event.details).toBeUndefined();
    });

    function signed(body: string): string {
      return Stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET });
    }

    it('returns the event when it was emitted and signed by the local Stripe server', async () => {
      // Arrange
      const payment = await pay('pm_card_visa', 4200);
      const [emitted] = (await localEvents(server, 'payment_intent.succeeded')).filter(
        (event) => event.data.object.id === payment.id,
      );
      const body = JSON.stringify(emitted);

      // Act
      const event = await provider.verifyWebhook(body, {
        'stripe-signature': signatureHeader(body, WEBHOOK_SECRET),
      });

      // Assert
      expect(event).toMatchObject({ type: 'payment_intent.succeeded', objectId: payment.id });
    });

    it.each([
      [
        'the body was tampered with',
        () =>
          provider.verifyWebhook(payload.replace('succeeded', 'canceled'), { 'stripe-signature': header() }),
      ],
      [
        'it was signed with another secret',
        () => provider.verifyWebhook(payload, { 'stripe-signature': header({ secret: 'whsec_other' }) }),
      ],
      [
        'the timestamp is 10 minutes old',
        () =>
          provider.verifyWebhook(payload, {
            'stripe-signature': header({ timestamp: Math.floor(Date.now() / 1000) - 600 }),
          }),
      ],
      [
        'the timestamp is 10 minutes in the future',
        () =>
          provider.verifyWebhook(payload, {
            'stripe-signature': header({ timestamp: Math.floor(Date.now() / 1000) + 600 }),
          }),
      ],
      [
        'the timestamp is just over 300 s in the future',
        () =>
          provider.verifyWebhook(payload, {
            'stripe-signature': header({ timestamp: Math.floor(Date.now() / 1000) + 302 }),
          }),
      ],
      ['the header is missing', () => provider.verifyWebhook(payload, {})],
      ['the header is empty', () => provider.verifyWebhook(payload, { 'stripe-signature': '' })],
      ['the header is malformed', () => provider.verifyWebhook(payload, { 'stripe-signature': 'garbage' })],
    ])('throws WebhookSignatureError when %s', async (_case, verify) => {
      // Arrange & Act
      let error: unknown;
      try {
        await verify();
      } catch (thrown) {
        error = thrown;
      }

      // Assert
      expect(error).toBeInstanceOf(WebhookSignatureError);
      expect(error).toMatchObject({ code: 'VALIDATION_ERROR', message: 'Invalid webhook signature' });
      expect(mapError(error).status).toBe(400);
    });

    it.each([
      ['a JSON null', 'null'],
      ['a JSON array', '[]'],
      ['a string', '"evt_1"'],
      ['an event without data', JSON.stringify({ id: 'evt_3', object: 'event', type: 'x', created: 1 })],
      [
        'an event without a creation time',
        JSON.stringify({ id: 'evt_4', object: 'event', type: 'x', data: { object: { id: 'pi_1' } } }),
      ],
      [
        'an event created beyond any date',
        JSON.stringify({
          id: 'evt_5',
          object: 'event',
          type: 'x',
          created: 1e20,
          data: { object: { id: 'pi_1' } },
        }),
      ],
      [
        'an event whose id is a number',
        JSON.stringify({ id: 5, object: 'event', type: 'x', created: 1, data: { object: { id: 'pi_1' } } }),
      ],
      [
        'an event without a type',
        JSON.stringify({ id: 'evt_6', object: 'event', created: 1, data: { object: { id: 'pi_1' } } }),
      ],
    ])('throws a VALIDATION_ERROR, not a TypeError, when the signed body is %s', async (_case, body) => {
      // Arrange
      const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET });

      // Act & Assert
      await expect(provider.verifyWebhook(body, { 'stripe-signature': signature })).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
      });
    });

    it('throws a VALIDATION_ERROR when a signed event names no object', async () => {
      // Arrange
      const body = JSON.stringify({ id: 'evt_2', object: 'event', type: 'x', created: 1, data: {} });
      const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET });

      // Act & Assert
      await expect(provider.verifyWebhook(body, { 'stripe-signature': signature })).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
      });
    });
  });
});

describe('Function: mapStripeError', () => {
  const { errors } = Stripe;
  const card = (raw: Stripe.StripeRawError) =>
    new errors.StripeCardError({ type: 'card_error', statusCode: 402, requestId: 'req_abc', ...raw });
  const invalid = (raw: Stripe.StripeRawError) =>
    new errors.StripeInvalidRequestError({
      type: 'invalid_request_error',
      statusCode: 400,
      requestId: 'req_abc',
      ...raw,
    });

  const table: Array<[string, Error, ErrorCode, string, Record<string, unknown> | undefined]> = [
    [
      'card_declined / generic_decline',
      card({ code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' }),
      'PAYMENT_DECLINED',
      'PaymentDeclinedError',
      { declineCode: 'generic_decline' },
    ],
    [
      'card_declined / insufficient_funds',
      card({
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
      }),
      'PAYMENT_DECLINED',
      'PaymentDeclinedError',
      { declineCode: 'insufficient_funds' },
    ],
    [
      'insufficient_funds without a decline code',
      card({ code: 'insufficient_funds', message: 'Your card has insufficient funds.' }),
      'PAYMENT_DECLINED',
      'PaymentDeclinedError',
      { declineCode: 'insufficient_funds' },
    ],
    [
      'card_declined without a decline code',
      card({ code: 'card_declined', message: 'Your card was declined.' }),
      'PAYMENT_DECLINED',
      'PaymentDeclinedError',
      { declineCode: 'generic_decline' },
    ],
    [
      'card_declined / stolen_card (not disclosed)',
      card({ code: 'card_declined', decline_code: 'stolen_card', message: 'Your card was declined.' }),
      'PAYMENT_DECLINED',
      'PaymentDeclinedError',
      { declineCode: 'generic_decline' },
    ],
    [
      'card_declined / fraudulent (not disclosed)',
      card({ code: 'card_declined', decline_code: 'fraudulent', message: 'Your card was declined.' }),
      'PAYMENT_DECLINED',
      'PaymentDeclinedError',
      { declineCode: 'generic_decline' },
    ],
    [
      'incorrect_cvc',
      card({
        code: 'incorrect_cvc',
        decline_code: 'incorrect_cvc',
        message: "Your card's security code is incorrect.",
      }),
      'PAYMENT_DECLINED',
      'PaymentDeclinedError',
      { declineCode: 'incorrect_cvc' },
    ],
    [
      'processing_error',
      card({ code: 'processing_error', message: 'An error occurred while processing your card.' }),
      'PAYMENT_DECLINED',
      'PaymentDeclinedError',
      { declineCode: 'processing_error' },
    ],
    [
      'expired_card',
      card({ code: 'expired_card', decline_code: 'expired_card', message: 'Your card has expired.' }),
      'EXPIRED_CARD',
      'ExpiredCardError',
      undefined,
    ],
    [
      'resource_missing on payment_method',
      invalid({
        code: 'resource_missing',
        param: 'payment_method',
        message: "No such PaymentMethod: 'pm_x'",
      }),
      'VALIDATION_ERROR',
      'UnknownPaymentMethodError',
      undefined,
    ],
    [
      'resource_missing on a PaymentIntent',
      invalid({
        code: 'resource_missing',
        param: 'intent',
        statusCode: 404,
        message: "No such payment_intent: 'pi_x'",
      }),
      'PROCESSOR_ERROR',
      'ProcessorError',
      undefined,
    ],
    [
      'payment_intent_unexpected_state',
      invalid({ code: 'payment_intent_unexpected_state', message: 'You cannot capture this PaymentIntent' }),
      'INVALID_STATE_TRANSITION',
      'ProviderStateConflictError',
      undefined,
    ],
    [
      'charge_already_refunded',
      invalid({ code: 'charge_already_refunded', message: 'Charge ch_x has already been refunded.' }),
      'INVALID_STATE_TRANSITION',
      'ProviderStateConflictError',
      undefined,
    ],
    [
      'amount_too_small',
      invalid({ code: 'amount_too_small', param: 'amount', message: 'Amount must be at least $0.50 usd' }),
      'INVALID_AMOUNT',
      'InvalidAmountError',
      undefined,
    ],
    [
      'an unknown parameter (our bug)',
      invalid({ code: 'parameter_unknown', param: 'foo', message: 'Received unknown parameter: foo' }),
      'PROCESSOR_ERROR',
      'ProcessorError',
      undefined,
    ],
    [
      'a 500 API error',
      new errors.StripeAPIError({ type: 'api_error', statusCode: 500, message: 'Internal error req_abc' }),
      'PROCESSOR_ERROR',
      'ProcessorError',
      undefined,
    ],
    [
      'a 409 lock conflict after the retries',
      new errors.StripeAPIError({
        type: 'api_error',
        statusCode: 409,
        code: 'lock_timeout',
        message: 'Locked',
      }),
      'PROCESSOR_ERROR',
      'ProcessorError',
      undefined,
    ],
    [
      'a connection failure',
      new errors.StripeConnectionError({ message: 'An error occurred with our connection to Stripe.' }),
      'PROCESSOR_ERROR',
      'ProcessorError',
      undefined,
    ],
    [
      'a rate limit',
      new errors.StripeRateLimitError({ statusCode: 429, code: 'rate_limit', message: 'Too many requests' }),
      'PROCESSOR_ERROR',
      'ProcessorError',
      undefined,
    ],
    [
      'an idempotency key reused with other parameters',
      new errors.StripeIdempotencyError({
        type: 'idempotency_error',
        statusCode: 400,
        message: 'Keys for idempotent',
      }),
      'PROCESSOR_ERROR',
      'ProcessorError',
      undefined,
    ],
    [
      'a refused API key',
      new errors.StripeAuthenticationError({
        statusCode: 401,
        message: 'Invalid API Key provided: sk_test_****',
      }),
      'PROCESSOR_ERROR',
      'ProcessorError',
      undefined,
    ],
    [
      'a permission error',
      new errors.StripePermissionError({ statusCode: 403, message: 'The provided key does not have access' }),
      'PROCESSOR_ERROR',
      'ProcessorError',
      undefined,
    ],
    [
      'a webhook signature error',
      new errors.StripeSignatureVerificationError('t=1,v1=x', '{}', { message: 'No signatures found' }),
      'VALIDATION_ERROR',
      'WebhookSignatureError',
      undefined,
    ],
    [
      'a bare StripeError',
      new errors.StripeError({ message: 'Unable to authenticate the request' }),
      'PROCESSOR_ERROR',
      'ProcessorError',
      undefined,
    ],
  ];

  it.each(table)('returns the domain error for %s', (_case, stripeError, code, name, details) => {
    // Arrange & Act
    const mapped = mapStripeError(stripeError);

    // Assert
    expect(mapped).toBeInstanceOf(DomainError);
    expect(mapped).toMatchObject({ code, name });
    if (mapped instanceof DomainError) expect(mapped.details).toEqual(details);
    expect(mapError(mapped).status).toBe(statusOf[code]);
    expect(mapped.message).not.toContain(stripeError.message);
    expectNoStripeText(mapped);
  });

  it('keeps the SDK error as the cause of a ProcessorError, for the logs', () => {
    // Arrange
    const original = new errors.StripeAPIError({
      type: 'api_error',
      statusCode: 503,
      message: 'Unavailable',
    });

    // Act
    const mapped = mapStripeError(original);

    // Assert
    expect(mapped).toBeInstanceOf(ProcessorError);
    expect(mapped.cause).toBe(original);
  });

  it('keeps the processor decline reason off the response when it is not disclosed', () => {
    // Arrange
    const original = card({
      code: 'card_declined',
      decline_code: 'lost_card',
      message: 'Your card was declined.',
    });

    // Act
    const mapped = mapStripeError(original);

    // Assert
    expect(mapped).toMatchObject({ declineCode: 'generic_decline', providerDeclineCode: 'lost_card' });
    expect(JSON.stringify(mapError(mapped).body)).not.toContain('lost_card');
  });

  it('returns the same error when it is already a domain error or not a Stripe error', () => {
    // Arrange
    const domain = new ProcessorError();
    const bug = new TypeError('undefined is not a function');

    // Act & Assert
    expect(mapStripeError(domain)).toBe(domain);
    expect(mapStripeError(bug)).toBe(bug);
  });

  it('returns ProcessorError when something other than an Error was thrown', () => {
    // Arrange & Act
    const mapped = mapStripeError('socket hang up');

    // Assert
    expect(mapped).toBeInstanceOf(ProcessorError);
  });
});

describe('Function: stripeConfigFromEnv', () => {
  it('returns the secret key, webhook secret and API base when all are set', () => {
    // Arrange
    const env = {
      STRIPE_SECRET_KEY: 'sk_test_abc123',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc123',
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
    };

    // Act
    const config = stripeConfigFromEnv(env);

    // Assert
    expect(config).toEqual({
      secretKey: 'sk_test_abc123',
      webhookSecret: 'whsec_abc123',
      apiBase: 'http://127.0.0.1:12111',
    });
  });

  it('returns no API base when STRIPE_API_BASE is not set', () => {
    // Arrange & Act
    const config = stripeConfigFromEnv({
      STRIPE_SECRET_KEY: 'sk_live_abc',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
    });

    // Assert
    expect(config).toEqual({ secretKey: 'sk_live_abc', webhookSecret: 'whsec_x' });
    expect('apiBase' in config).toBe(false);
  });

  it.each([
    [
      'a publishable key',
      { STRIPE_SECRET_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_x' },
      /STRIPE_SECRET_KEY/,
    ],
    [
      'a bare prefix',
      { STRIPE_SECRET_KEY: 'sk_test_', STRIPE_WEBHOOK_SECRET: 'whsec_x' },
      /STRIPE_SECRET_KEY/,
    ],
    ['no secret key', { STRIPE_WEBHOOK_SECRET: 'whsec_x' }, /STRIPE_SECRET_KEY/],
    [
      'a webhook secret without whsec_',
      { STRIPE_SECRET_KEY: 'sk_test_a', STRIPE_WEBHOOK_SECRET: 'x' },
      /STRIPE_WEBHOOK_SECRET/,
    ],
    [
      'an API base that is not a URL',
      { STRIPE_SECRET_KEY: 'sk_test_a', STRIPE_WEBHOOK_SECRET: 'whsec_x', STRIPE_API_BASE: 'localhost' },
      /STRIPE_API_BASE/,
    ],
  ])('throws naming the variable when given %s', (_case, env, variable) => {
    // Arrange & Act & Assert
    expect(() => stripeConfigFromEnv(env)).toThrow(variable);
  });

  it('never puts the secret itself in the error', () => {
    // Arrange
    const env = { STRIPE_SECRET_KEY: 'rk_live_verysecret', STRIPE_WEBHOOK_SECRET: 'whsec_x' };

    // Act & Assert
    expect(() => stripeConfigFromEnv(env)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('verysecret') }),
    );
  });
});

describe('Class: StripePaymentProvider (configuration)', () => {
  it('throws when the API base is not an http(s) origin', () => {
    // Arrange & Act & Assert
    expect(
      () =>
        new StripePaymentProvider({
          secretKey: SECRET_KEY,
          webhookSecret: WEBHOOK_SECRET,
          apiBase: 'ftp://x/',
        }),
    ).toThrow(/apiBase/);
    expect(
      () =>
        new StripePaymentProvider({
          secretKey: SECRET_KEY,
          webhookSecret: WEBHOOK_SECRET,
          apiBase: 'http://h/v1',
        }),
    ).toThrow(/apiBase/);
  });
});
