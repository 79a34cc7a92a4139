import Stripe from 'stripe';
import { parseForm } from '../../../local/stripe/form.js';
import { type RunningStripeServer, startStripeServer } from '../../../local/stripe/server.js';
import { signatureHeader } from '../../../local/stripe/webhooks.js';
import { clientFor } from './stripe-client.js';
import { WebhookReceiver } from './stripe-webhook-receiver.js';

const SECRET_KEY = 'sk_test_local51TweenPaymentsStripeServerKey';
const WEBHOOK_SECRET = 'whsec_local_test_signing_secret';
/** Card PaymentIntents confirmed server-side, with no redirect-based methods in play. */
const CARD_ONLY = { payment_method_types: ['card'] };

/** The parts of an Event these tests read; `GET /local/stripe/events` lists whole Events. */
interface RecordedEvent {
  id: string;
  type: string;
  data: { object: { id: string } };
}

interface LocalEventRecord {
  event: RecordedEvent;
  delivery: { state: string; attempts: Array<{ status_code: number | null; error: string | null }> };
}

async function rejectionOf<T extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => T,
): Promise<T> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}, but the call succeeded`);
}

async function localEvents(server: RunningStripeServer, type?: string): Promise<LocalEventRecord[]> {
  const query = type === undefined ? '' : `?type=${encodeURIComponent(type)}`;
  const response = await fetch(`${server.url}/local/stripe/events${query}`);
  const list = (await response.json()) as { data: LocalEventRecord[] };
  return list.data;
}

async function eventsFor(server: RunningStripeServer, objectId: string): Promise<RecordedEvent[]> {
  const records = await localEvents(server);
  return records.map((record) => record.event).filter((event) => event.data.object.id === objectId);
}

/** The event's record once its delivery is no longer pending. */
async function settledDelivery(server: RunningStripeServer, eventId: string): Promise<LocalEventRecord> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const record = (await localEvents(server)).find((entry) => entry.event.id === eventId);
    if (record !== undefined && record.delivery.state !== 'pending') return record;
    if (Date.now() > deadline) throw new Error(`delivery of ${eventId} still pending`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function authenticate(
  server: RunningStripeServer,
  intentId: string,
  outcome: string,
): Promise<Response> {
  return fetch(`${server.url}/local/stripe/payment_intents/${intentId}/authenticate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ outcome }),
  });
}

describe('Server: Stripe-compatible test server', () => {
  const receiver = new WebhookReceiver();
  let server: RunningStripeServer;
  let stripe: Stripe;
  let apiRequests = 0;

  beforeAll(async () => {
    await receiver.start();
    server = await startStripeServer({
      port: 0,
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl: receiver.url,
      onRequest: () => {
        apiRequests += 1;
      },
    });
    stripe = clientFor(server, SECRET_KEY);
  });

  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  describe('Method: paymentIntents.create', () => {
    it('returns a succeeded PaymentIntent with a succeeded latest_charge when confirmed with pm_card_visa', async () => {
      // Arrange
      const params: Stripe.PaymentIntentCreateParams = {
        amount: 2500,
        currency: 'EUR',
        payment_method: 'pm_card_visa',
        confirm: true,
        metadata: { order: 'ord_1', tenant: 't-9' },
        ...CARD_ONLY,
      };

      // Act
      const intent = await stripe.paymentIntents.create(params);

      // Assert
      expect(intent).toMatchObject({
        object: 'payment_intent',
        status: 'succeeded',
        amount: 2500,
        amount_received: 2500,
        amount_capturable: 0,
        currency: 'eur',
        capture_method: 'automatic',
        metadata: { order: 'ord_1', tenant: 't-9' },
        payment_method_types: ['card'],
        last_payment_error: null,
        livemode: false,
      });
      expect(intent.id).toMatch(/^pi_[A-Za-z0-9]{24}$/);
      expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_`));
      expect(intent.payment_method).toMatch(/^pm_[A-Za-z0-9]{24}$/);
      expect(intent.latest_charge).toMatch(/^ch_/);
      const charge = await stripe.charges.retrieve(String(intent.latest_charge));
      expect(charge).toMatchObject({
        status: 'succeeded',
        paid: true,
        captured: true,
        amount_captured: 2500,
      });
      expect(charge.payment_method_details?.card).toMatchObject({ brand: 'visa', last4: '4242' });
    });

    it('emits payment_intent.created, charge.succeeded and payment_intent.succeeded when a payment succeeds', async () => {
      // Arrange
      const params: Stripe.PaymentIntentCreateParams = {
        amount: 1000,
        currency: 'usd',
        payment_method: 'pm_card_mastercard',
        confirm: true,
        ...CARD_ONLY,
      };

      // Act
      const intent = await stripe.paymentIntents.create(params);

      // Assert
      const intentEvents = (await eventsFor(server, intent.id)).map((event) => event.type);
      expect(intentEvents).toEqual(['payment_intent.created', 'payment_intent.succeeded']);
      const chargeEvents = (await eventsFor(server, String(intent.latest_charge))).map((event) => event.type);
      expect(chargeEvents).toEqual(['charge.succeeded']);
    });

    it('returns requires_payment_method, or requires_confirmation with a payment method, when not confirmed', async () => {
      // Arrange / Act
      const bare = await stripe.paymentIntents.create({ amount: 500, currency: 'usd', ...CARD_ONLY });
      const withMethod = await stripe.paymentIntents.create({
        amount: 500,
        currency: 'usd',
        payment_method: 'pm_card_amex',
        ...CARD_ONLY,
      });

      // Assert
      expect(bare.status).toBe('requires_payment_method');
      expect(bare.latest_charge).toBeNull();
      expect(withMethod.status).toBe('requires_confirmation');
    });

    it('throws StripeInvalidRequestError naming return_url when confirming with redirect-capable automatic payment methods', async () => {
      // Arrange
      const params: Stripe.PaymentIntentCreateParams = {
        amount: 500,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
      };

      // Act
      const error = await rejectionOf(
        stripe.paymentIntents.create(params),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error.statusCode).toBe(400);
      expect(error.param).toBe('return_url');
    });

    it('throws StripeInvalidRequestError parameter_missing when amount is missing', async () => {
      // Arrange
      const missingAmount: Partial<Stripe.PaymentIntentCreateParams> = { currency: 'usd' };
      const params = missingAmount as Stripe.PaymentIntentCreateParams;

      // Act
      const error = await rejectionOf(
        stripe.paymentIntents.create(params),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'amount' });
    });

    it('throws StripeCardError card_declined/generic_decline and leaves the PaymentIntent requiring a payment method when pm_card_chargeDeclined is declined', async () => {
      // Arrange
      const params: Stripe.PaymentIntentCreateParams = {
        amount: 1500,
        currency: 'usd',
        payment_method: 'pm_card_chargeDeclined',
        confirm: true,
        ...CARD_ONLY,
      };

      // Act
      const error = await rejectionOf(stripe.paymentIntents.create(params), Stripe.errors.StripeCardError);

      // Assert
      expect(error).toMatchObject({
        statusCode: 402,
        type: 'StripeCardError',
        rawType: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
      });
      expect(error.charge).toMatch(/^ch_/);
      const failed = error.payment_intent;
      expect(failed?.status).toBe('requires_payment_method');
      expect(failed?.last_payment_error).toMatchObject({
        code: 'card_declined',
        decline_code: 'generic_decline',
      });
      const stored = await stripe.paymentIntents.retrieve(String(failed?.id));
      expect(stored.status).toBe('requires_payment_method');
      expect(stored.latest_charge).toBe(error.charge);
      const events = (await eventsFor(server, String(failed?.id))).map((event) => event.type);
      expect(events).toEqual(['payment_intent.created', 'payment_intent.payment_failed']);
    });

    it.each([
      ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
      ['pm_card_insufficientFunds', 'card_declined', 'insufficient_funds'],
      ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
      ['pm_card_expired', 'expired_card', 'expired_card'],
      ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc'],
      ['pm_card_chargeDeclinedProcessingError', 'processing_error', 'processing_error'],
    ])('throws StripeCardError %s → code %s, decline_code %s', async (paymentMethod, code, declineCode) => {
      // Arrange
      const params: Stripe.PaymentIntentCreateParams = {
        amount: 900,
        currency: 'usd',
        payment_method: paymentMethod,
        confirm: true,
        ...CARD_ONLY,
      };

      // Act
      const error = await rejectionOf(stripe.paymentIntents.create(params), Stripe.errors.StripeCardError);

      // Assert
      expect(error).toMatchObject({ statusCode: 402, code, decline_code: declineCode });
    });

    it('returns requires_action with a next_action when pm_card_authenticationRequired needs 3D Secure', async () => {
      // Arrange
      const params: Stripe.PaymentIntentCreateParams = {
        amount: 4200,
        currency: 'usd',
        payment_method: 'pm_card_authenticationRequired',
        confirm: true,
        return_url: 'https://shop.example/return',
        ...CARD_ONLY,
      };

      // Act
      const intent = await stripe.paymentIntents.create(params);

      // Assert
      expect(intent.status).toBe('requires_action');
      expect(intent.latest_charge).toBeNull();
      expect(intent.next_action).toMatchObject({
        type: 'redirect_to_url',
        redirect_to_url: {
          url: `${server.url}/local/stripe/payment_intents/${intent.id}/authenticate`,
          return_url: 'https://shop.example/return',
        },
      });
    });

    it('throws StripeCardError authentication_required when a 3D Secure card is charged off_session', async () => {
      // Arrange
      const params: Stripe.PaymentIntentCreateParams = {
        amount: 4200,
        currency: 'usd',
        payment_method: 'pm_card_authenticationRequired',
        confirm: true,
        off_session: true,
        ...CARD_ONLY,
      };

      // Act
      const error = await rejectionOf(stripe.paymentIntents.create(params), Stripe.errors.StripeCardError);

      // Assert
      expect(error).toMatchObject({
        code: 'authentication_required',
        decline_code: 'authentication_required',
      });
      expect(error.payment_intent?.status).toBe('requires_payment_method');
    });
  });

  describe('Route: POST /local/stripe/payment_intents/:id/authenticate', () => {
    it('completes a requires_action PaymentIntent and emits a signed payment_intent.succeeded when the outcome is succeed', async () => {
      // Arrange
      const pending = await stripe.paymentIntents.create({
        amount: 3100,
        currency: 'usd',
        payment_method: 'pm_card_authenticationRequired',
        confirm: true,
        ...CARD_ONLY,
      });

      // Act
      const response = await authenticate(server, pending.id, 'succeed');

      // Assert
      expect(pending.next_action?.type).toBe('use_stripe_sdk');
      expect(response.status).toBe(200);
      const intent = await stripe.paymentIntents.retrieve(pending.id, { expand: ['latest_charge'] });
      expect(intent.status).toBe('succeeded');
      expect(intent.next_action).toBeNull();
      expect(intent.latest_charge).toMatchObject({ status: 'succeeded', captured: true });
      const succeeded = (await eventsFor(server, pending.id)).find(
        (event) => event.type === 'payment_intent.succeeded',
      );
      expect(succeeded).toBeDefined();
      await receiver.waitFor(() => receiver.deliveriesOf(String(succeeded?.id)).length > 0);
      const [delivery] = receiver.deliveriesOf(String(succeeded?.id));
      const verified = stripe.webhooks.constructEvent(
        delivery?.rawBody ?? '',
        delivery?.signature ?? '',
        WEBHOOK_SECRET,
      );
      expect(verified).toMatchObject({
        type: 'payment_intent.succeeded',
        data: { object: { id: pending.id } },
      });
      expect(verified.request).toEqual({ id: null, idempotency_key: null });
    });

    it('returns the PaymentIntent to requires_payment_method and emits payment_intent.payment_failed when the outcome is fail', async () => {
      // Arrange
      const pending = await stripe.paymentIntents.create({
        amount: 3100,
        currency: 'usd',
        payment_method: 'pm_card_threeDSecure2Required',
        confirm: true,
        ...CARD_ONLY,
      });

      // Act
      const response = await authenticate(server, pending.id, 'fail');

      // Assert
      const intent = (await response.json()) as Stripe.PaymentIntent;
      expect(intent.status).toBe('requires_payment_method');
      expect(intent.last_payment_error?.code).toBe('payment_intent_authentication_failure');
      const types = (await eventsFor(server, pending.id)).map((event) => event.type);
      expect(types).toEqual([
        'payment_intent.created',
        'payment_intent.requires_action',
        'payment_intent.payment_failed',
      ]);
    });

    it("redirects to the return_url with Stripe's query when the challenge page's form completes it", async () => {
      // Arrange
      const pending = await stripe.paymentIntents.create({
        amount: 3100,
        currency: 'usd',
        payment_method: 'pm_card_authenticationRequired',
        confirm: true,
        return_url: 'https://shop.example/checkout/done?cart=42',
        ...CARD_ONLY,
      });
      const challengeUrl = pending.next_action?.redirect_to_url?.url ?? '';
      const page = await fetch(challengeUrl);

      // Act
      const response = await fetch(challengeUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'outcome=succeed',
        redirect: 'manual',
      });

      // Assert
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Complete authentication');
      expect(response.status).toBe(303);
      const location = new URL(response.headers.get('location') ?? '');
      expect(`${location.origin}${location.pathname}`).toBe('https://shop.example/checkout/done');
      expect(Object.fromEntries(location.searchParams)).toEqual({
        cart: '42',
        payment_intent: pending.id,
        payment_intent_client_secret: pending.client_secret,
        redirect_status: 'succeeded',
      });
      expect((await stripe.paymentIntents.retrieve(pending.id)).status).toBe('succeeded');
    });

    it('answers 400 in Stripe format when the PaymentIntent is not awaiting authentication', async () => {
      // Arrange
      const intent = await stripe.paymentIntents.create({ amount: 100, currency: 'usd', ...CARD_ONLY });

      // Act
      const response = await authenticate(server, intent.id, 'succeed');

      // Assert
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { type: 'invalid_request_error', code: 'payment_intent_unexpected_state' },
      });
    });
  });

  describe('Method: paymentIntents.confirm', () => {
    it('returns succeeded when a requires_confirmation PaymentIntent is confirmed', async () => {
      // Arrange
      const created = await stripe.paymentIntents.create({ amount: 700, currency: 'usd', ...CARD_ONLY });

      // Act
      const intent = await stripe.paymentIntents.confirm(created.id, {
        payment_method: 'pm_card_visa_debit',
      });

      // Assert
      expect(intent.status).toBe('succeeded');
      expect(intent.amount_received).toBe(700);
    });

    it('throws payment_intent_unexpected_state when the PaymentIntent already succeeded', async () => {
      // Arrange
      const intent = await stripe.paymentIntents.create({
        amount: 700,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        ...CARD_ONLY,
      });

      // Act
      const error = await rejectionOf(
        stripe.paymentIntents.confirm(intent.id),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
      expect(error.payment_intent?.status).toBe('succeeded');
    });
  });

  describe('Method: paymentIntents.capture', () => {
    async function authorised(amount: number): Promise<Stripe.PaymentIntent> {
      return stripe.paymentIntents.create({
        amount,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        capture_method: 'manual',
        ...CARD_ONLY,
      });
    }

    it('returns requires_capture on confirm and succeeded on capture when capture_method is manual', async () => {
      // Arrange
      const intent = await authorised(5000);

      // Act
      const captured = await stripe.paymentIntents.capture(intent.id);

      // Assert
      expect(intent).toMatchObject({
        status: 'requires_capture',
        amount_capturable: 5000,
        amount_received: 0,
      });
      expect(captured).toMatchObject({ status: 'succeeded', amount_capturable: 0, amount_received: 5000 });
      const types = (await eventsFor(server, intent.id)).map((event) => event.type);
      expect(types).toEqual([
        'payment_intent.created',
        'payment_intent.amount_capturable_updated',
        'payment_intent.succeeded',
      ]);
      const chargeTypes = (await eventsFor(server, String(intent.latest_charge))).map((event) => event.type);
      expect(chargeTypes).toEqual(['charge.succeeded', 'charge.captured']);
    });

    it('captures part of the authorisation and releases the rest when amount_to_capture is lower', async () => {
      // Arrange
      const intent = await authorised(5000);

      // Act
      const captured = await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 3000 });

      // Assert
      expect(captured).toMatchObject({ status: 'succeeded', amount_received: 3000 });
      const charge = await stripe.charges.retrieve(String(captured.latest_charge));
      expect(charge).toMatchObject({
        captured: true,
        amount_captured: 3000,
        amount_refunded: 2000,
        refunded: false,
      });
    });

    it('throws StripeInvalidRequestError when amount_to_capture exceeds amount_capturable', async () => {
      // Arrange
      const intent = await authorised(5000);

      // Act
      const error = await rejectionOf(
        stripe.paymentIntents.capture(intent.id, { amount_to_capture: 5001 }),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error).toMatchObject({ statusCode: 400, param: 'amount_to_capture' });
    });

    it('throws payment_intent_unexpected_state when the PaymentIntent was captured automatically', async () => {
      // Arrange
      const intent = await stripe.paymentIntents.create({
        amount: 5000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        ...CARD_ONLY,
      });

      // Act
      const error = await rejectionOf(
        stripe.paymentIntents.capture(intent.id),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error.code).toBe('payment_intent_unexpected_state');
    });
  });

  describe('Method: paymentIntents.cancel', () => {
    it('returns canceled with the reason and emits payment_intent.canceled when the PaymentIntent is unpaid', async () => {
      // Arrange
      const intent = await stripe.paymentIntents.create({ amount: 800, currency: 'usd', ...CARD_ONLY });

      // Act
      const canceled = await stripe.paymentIntents.cancel(intent.id, { cancellation_reason: 'abandoned' });

      // Assert
      expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
      expect(canceled.canceled_at).toEqual(expect.any(Number));
      const types = (await eventsFor(server, intent.id)).map((event) => event.type);
      expect(types).toEqual(['payment_intent.created', 'payment_intent.canceled']);
    });

    it('releases the authorisation when the PaymentIntent awaits capture', async () => {
      // Arrange
      const intent = await stripe.paymentIntents.create({
        amount: 800,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        capture_method: 'manual',
        ...CARD_ONLY,
      });

      // Act
      const canceled = await stripe.paymentIntents.cancel(intent.id);

      // Assert
      expect(canceled).toMatchObject({ status: 'canceled', amount_capturable: 0 });
      const charge = await stripe.charges.retrieve(String(intent.latest_charge));
      expect(charge).toMatchObject({ refunded: true, amount_refunded: 800, captured: false });
    });

    it('throws payment_intent_unexpected_state when the PaymentIntent already succeeded', async () => {
      // Arrange
      const intent = await stripe.paymentIntents.create({
        amount: 800,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        ...CARD_ONLY,
      });

      // Act
      const error = await rejectionOf(
        stripe.paymentIntents.cancel(intent.id),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error.code).toBe('payment_intent_unexpected_state');
    });
  });

  describe('Method: paymentIntents.retrieve', () => {
    it('throws StripeInvalidRequestError 404 resource_missing when the id is unknown', async () => {
      // Arrange
      const id = 'pi_doesNotExist000000000000';

      // Act
      const error = await rejectionOf(
        stripe.paymentIntents.retrieve(id),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error).toMatchObject({
        statusCode: 404,
        code: 'resource_missing',
        param: 'intent',
        message: `No such payment_intent: '${id}'`,
      });
      expect(error.requestId).toMatch(/^req_/);
    });

    it('returns the expanded Charge and PaymentMethod when expand lists them', async () => {
      // Arrange
      const created = await stripe.paymentIntents.create({
        amount: 1200,
        currency: 'usd',
        payment_method: 'pm_card_amex',
        confirm: true,
        ...CARD_ONLY,
      });

      // Act
      const intent = await stripe.paymentIntents.retrieve(created.id, {
        expand: ['latest_charge', 'payment_method'],
      });

      // Assert
      expect(intent.latest_charge).toMatchObject({ object: 'charge', id: created.latest_charge });
      expect(intent.payment_method).toMatchObject({ object: 'payment_method', card: { brand: 'amex' } });
    });
  });

  describe('Method: refunds.create', () => {
    async function paid(amount: number): Promise<Stripe.PaymentIntent> {
      return stripe.paymentIntents.create({
        amount,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        ...CARD_ONLY,
      });
    }

    it('refunds part, then the rest, and marks the charge refunded when the refunds reach the amount', async () => {
      // Arrange
      const intent = await paid(10_000);

      // Act
      const partial = await stripe.refunds.create({
        payment_intent: intent.id,
        amount: 2500,
        reason: 'requested_by_customer',
      });
      const rest = await stripe.refunds.create({ payment_intent: intent.id });

      // Assert
      expect(partial).toMatchObject({
        object: 'refund',
        amount: 2500,
        status: 'succeeded',
        charge: intent.latest_charge,
        payment_intent: intent.id,
        reason: 'requested_by_customer',
      });
      expect(partial.id).toMatch(/^re_/);
      expect(rest.amount).toBe(7500);
      expect(await stripe.refunds.retrieve(partial.id)).toEqual(partial);
      const charge = await stripe.charges.retrieve(String(intent.latest_charge));
      expect(charge).toMatchObject({ amount_refunded: 10_000, refunded: true });
      const chargeEvents = (await eventsFor(server, charge.id)).map((event) => event.type);
      expect(chargeEvents).toEqual(['charge.succeeded', 'charge.refunded', 'charge.refunded']);
    });

    describe('when the control route leaves new refunds pending', () => {
      async function refundMode(mode: string): Promise<void> {
        await fetch(`${server.url}/local/stripe/refund_mode`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ mode }),
        });
      }

      async function settle(refundId: string, outcome: string): Promise<Response> {
        return fetch(`${server.url}/local/stripe/refunds/${refundId}/settle`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ outcome }),
        });
      }

      afterEach(() => refundMode('succeeded'));

      it('keeps it pending until settled, then succeeds it with refund.updated and charge.refund.updated', async () => {
        // Arrange
        const intent = await paid(3_000);
        await refundMode('pending');
        const refund = await stripe.refunds.create({
          payment_intent: intent.id,
          metadata: { refundId: 'rf_1' },
        });

        // Act
        const answer = await settle(refund.id, 'succeed');

        // Assert
        expect(refund).toMatchObject({ status: 'pending', metadata: { refundId: 'rf_1' } });
        expect(answer.status).toBe(200);
        expect(await stripe.refunds.retrieve(refund.id)).toMatchObject({ status: 'succeeded' });
        const types = (await eventsFor(server, refund.id)).map((event) => event.type);
        expect(types).toEqual(['refund.created', 'refund.updated', 'charge.refund.updated']);
        expect((await settle(refund.id, 'fail')).status).toBe(400);
      });

      it('fails it with refund.failed and gives the amount back to refund again', async () => {
        // Arrange
        const intent = await paid(3_000);
        await refundMode('pending');
        const refund = await stripe.refunds.create({ payment_intent: intent.id });

        // Act
        await settle(refund.id, 'fail');
        await refundMode('succeeded');
        const again = await stripe.refunds.create({ payment_intent: intent.id });

        // Assert
        expect(await stripe.refunds.retrieve(refund.id)).toMatchObject({
          status: 'failed',
          failure_reason: 'expired_or_canceled_card',
        });
        const types = (await eventsFor(server, refund.id)).map((event) => event.type);
        expect(types).toEqual(['refund.created', 'refund.failed', 'refund.updated', 'charge.refund.updated']);
        expect(again).toMatchObject({ amount: 3_000, status: 'succeeded' });
      });
    });

    it('throws StripeInvalidRequestError when the amount exceeds what is left to refund', async () => {
      // Arrange
      const intent = await paid(1000);
      await stripe.refunds.create({ payment_intent: intent.id, amount: 600 });

      // Act
      const error = await rejectionOf(
        stripe.refunds.create({ payment_intent: intent.id, amount: 500 }),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error).toMatchObject({
        statusCode: 400,
        param: 'amount',
        message: 'Refund amount ($5.00) is greater than unrefunded amount on charge ($4.00)',
      });
    });

    it('throws charge_already_refunded when nothing is left to refund', async () => {
      // Arrange
      const intent = await paid(1000);
      await stripe.refunds.create({ payment_intent: intent.id });

      // Act
      const error = await rejectionOf(
        stripe.refunds.create({ payment_intent: intent.id }),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error.code).toBe('charge_already_refunded');
    });

    it('refunds at most the captured part when the payment was partially captured', async () => {
      // Arrange
      const intent = await stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        capture_method: 'manual',
        ...CARD_ONLY,
      });
      await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 400 });

      // Act
      const refund = await stripe.refunds.create({ payment_intent: intent.id });

      // Assert
      expect(refund.amount).toBe(400);
    });

    it('throws StripeInvalidRequestError when the PaymentIntent has no successful charge', async () => {
      // Arrange
      const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARD_ONLY });

      // Act
      const error = await rejectionOf(
        stripe.refunds.create({ payment_intent: intent.id }),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error).toMatchObject({ statusCode: 400, param: 'payment_intent' });
    });
  });

  describe('Header: Idempotency-Key', () => {
    it('replays the identical response when the same key is sent with the same params', async () => {
      // Arrange
      const params: Stripe.PaymentIntentCreateParams = {
        amount: 1999,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        ...CARD_ONLY,
      };
      const options = { idempotencyKey: 'order-1999-attempt-1' };

      // Act
      const first = await stripe.paymentIntents.create(params, options);
      const second = await stripe.paymentIntents.create(params, options);

      // Assert
      expect(second).toEqual(first);
      expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(second.lastResponse.headers['original-request']).toBe(first.lastResponse.requestId);
      expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
      const created = await localEvents(server, 'payment_intent.created');
      expect(created.filter((record) => record.event.data.object.id === first.id)).toHaveLength(1);
    });

    it('replays a card error too when the first attempt was declined', async () => {
      // Arrange
      const params: Stripe.PaymentIntentCreateParams = {
        amount: 1999,
        currency: 'usd',
        payment_method: 'pm_card_chargeDeclined',
        confirm: true,
        ...CARD_ONLY,
      };
      const options = { idempotencyKey: 'declined-attempt-1' };
      const first = await rejectionOf(
        stripe.paymentIntents.create(params, options),
        Stripe.errors.StripeCardError,
      );

      // Act
      const second = await rejectionOf(
        stripe.paymentIntents.create(params, options),
        Stripe.errors.StripeCardError,
      );

      // Assert
      expect(second.payment_intent?.id).toBe(first.payment_intent?.id);
      expect(second.charge).toBe(first.charge);
    });

    it('throws StripeIdempotencyError when the same key is sent with different params', async () => {
      // Arrange
      const options = { idempotencyKey: 'order-2000-attempt-1' };
      await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', ...CARD_ONLY }, options);

      // Act
      const error = await rejectionOf(
        stripe.paymentIntents.create({ amount: 2001, currency: 'usd', ...CARD_ONLY }, options),
        Stripe.errors.StripeIdempotencyError,
      );

      // Assert
      expect(error).toMatchObject({ statusCode: 400, rawType: 'idempotency_error' });
      expect(error.message).toContain("Try using a key other than 'order-2000-attempt-1'");
    });

    it('processes a corrected request when the first one with the key failed validation', async () => {
      // Arrange
      const options = { idempotencyKey: 'order-2002-attempt-1' };
      const missingCurrency: Partial<Stripe.PaymentIntentCreateParams> = { amount: 2002, ...CARD_ONLY };
      const invalid = missingCurrency as Stripe.PaymentIntentCreateParams;
      await rejectionOf(
        stripe.paymentIntents.create(invalid, options),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Act
      const intent = await stripe.paymentIntents.create(
        { amount: 2002, currency: 'usd', ...CARD_ONLY },
        options,
      );

      // Assert
      expect(intent.status).toBe('requires_payment_method');
    });
  });

  describe('Header: Authorization', () => {
    it('throws StripeAuthenticationError 401 when the API key is not the configured one', async () => {
      // Arrange
      const impostor = clientFor(server, 'sk_test_wrongKeyWrongKeyWrongKey9876');

      // Act
      const error = await rejectionOf(
        impostor.paymentIntents.create({ amount: 100, currency: 'usd', ...CARD_ONLY }),
        Stripe.errors.StripeAuthenticationError,
      );

      // Assert
      expect(error.statusCode).toBe(401);
      expect(error.message).toMatch(/^Invalid API Key provided: sk_test_\*+9876$/);
    });

    it('answers 401 in Stripe format when no API key is sent', async () => {
      // Arrange
      const url = `${server.url}/v1/payment_intents/pi_any`;

      // Act
      const response = await fetch(url);

      // Assert
      expect(response.status).toBe(401);
      expect(response.headers.get('request-id')).toMatch(/^req_/);
      expect(await response.json()).toMatchObject({
        error: {
          type: 'invalid_request_error',
          message: expect.stringContaining('You did not provide an API key'),
        },
      });
    });
  });

  describe('Method: paymentMethods.retrieve', () => {
    it('returns a new card PaymentMethod with brand and last4 when retrieving pm_card_visa', async () => {
      // Arrange
      const token = 'pm_card_visa';

      // Act
      const paymentMethod = await stripe.paymentMethods.retrieve(token);

      // Assert
      expect(paymentMethod).toMatchObject({
        object: 'payment_method',
        type: 'card',
        card: { brand: 'visa', last4: '4242', funding: 'credit', country: 'US' },
      });
      expect(paymentMethod.id).toMatch(/^pm_[A-Za-z0-9]{24}$/);
      expect(await stripe.paymentMethods.retrieve(paymentMethod.id)).toEqual(paymentMethod);
    });

    it('throws StripeInvalidRequestError 404 when the PaymentMethod is unknown', async () => {
      // Arrange
      const id = 'pm_card_doesNotExist';

      // Act
      const error = await rejectionOf(
        stripe.paymentMethods.retrieve(id),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    });
  });

  describe('Method: customers.create and customers.retrieve', () => {
    it('returns a cus_ Customer with its metadata, and the same one when retrieved', async () => {
      // Arrange
      const params = { metadata: { userId: '@alice:tween.example' } };

      // Act
      const customer = await stripe.customers.create(params);

      // Assert
      expect(customer).toMatchObject({ object: 'customer', livemode: false, metadata: params.metadata });
      expect(customer.id).toMatch(/^cus_[A-Za-z0-9]{24}$/);
      expect(await stripe.customers.retrieve(customer.id)).toEqual(customer);
    });

    it('replays the same Customer when the same Idempotency-Key is sent again', async () => {
      // Arrange
      const key = `customer:${Date.now()}:${Math.random()}`;

      // Act
      const [first, again] = [
        await stripe.customers.create({}, { idempotencyKey: key }),
        await stripe.customers.create({}, { idempotencyKey: key }),
      ];

      // Assert
      expect(again.id).toBe(first.id);
    });

    it('throws StripeInvalidRequestError 404 resource_missing when the Customer is unknown', async () => {
      // Act
      const error = await rejectionOf(
        stripe.customers.retrieve('cus_unknown'),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    });
  });

  describe('Method: customers.del', () => {
    it('deletes the Customer with its cards attached, then answers 404 resource_missing for it', async () => {
      // Arrange
      const customer = await stripe.customers.create({});
      const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });

      // Act
      const deleted = await stripe.customers.del(customer.id);
      const again = await rejectionOf(
        stripe.customers.del(customer.id),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(deleted).toMatchObject({ id: customer.id, object: 'customer', deleted: true });
      expect((await stripe.paymentMethods.retrieve(card.id)).customer).toBeNull();
      expect(again).toMatchObject({ statusCode: 404, code: 'resource_missing' });
      await expect(stripe.customers.retrieve(customer.id)).rejects.toMatchObject({ statusCode: 404 });
    });
  });

  describe('Method: paymentMethods.attach', () => {
    it('attaches a new PaymentMethod made from a test token to the customer, a fresh one each time', async () => {
      // Arrange
      const customer = await stripe.customers.create({});

      // Act
      const first = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
      const second = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });

      // Assert
      expect(first).toMatchObject({ customer: customer.id, card: { brand: 'visa', last4: '4242' } });
      expect(first.id).toMatch(/^pm_[A-Za-z0-9]{24}$/);
      expect(second.id).not.toBe(first.id);
      expect((await stripe.paymentMethods.retrieve(first.id)).customer).toBe(customer.id);
    });

    it('returns the PaymentMethod unchanged when it is attached to the same customer again', async () => {
      // Arrange
      const customer = await stripe.customers.create({});
      const attached = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });

      // Act
      const again = await stripe.paymentMethods.attach(attached.id, { customer: customer.id });

      // Assert
      expect(again).toEqual(attached);
    });

    it('throws StripeInvalidRequestError when the PaymentMethod is attached to another customer, and keeps its owner', async () => {
      // Arrange
      const alice = await stripe.customers.create({});
      const bob = await stripe.customers.create({});
      const alices = await stripe.paymentMethods.attach('pm_card_visa', { customer: alice.id });

      // Act
      const error = await rejectionOf(
        stripe.paymentMethods.attach(alices.id, { customer: bob.id }),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error).toMatchObject({ statusCode: 400, param: 'payment_method' });
      expect((await stripe.paymentMethods.retrieve(alices.id)).customer).toBe(alice.id);
    });

    it('throws StripeInvalidRequestError resource_missing naming customer when the customer is unknown', async () => {
      // Act
      const error = await rejectionOf(
        stripe.paymentMethods.attach('pm_card_visa', { customer: 'cus_unknown' }),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'customer' });
    });
  });

  describe('Method: paymentMethods.detach', () => {
    it('detaches the PaymentMethod, so another customer may attach it, and refuses a second detach', async () => {
      // Arrange
      const alice = await stripe.customers.create({});
      const bob = await stripe.customers.create({});
      const alices = await stripe.paymentMethods.attach('pm_card_visa', { customer: alice.id });

      // Act
      const detached = await stripe.paymentMethods.detach(alices.id);
      const again = await rejectionOf(
        stripe.paymentMethods.detach(alices.id),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(detached).toMatchObject({ id: alices.id, customer: null });
      expect(again).toMatchObject({ statusCode: 400, param: 'payment_method' });
      expect((await stripe.paymentMethods.attach(alices.id, { customer: bob.id })).customer).toBe(bob.id);
    });
  });

  describe('Parameter: customer on paymentIntents', () => {
    it("succeeds with the customer's own PaymentMethod and names the customer on the PaymentIntent", async () => {
      // Arrange
      const customer = await stripe.customers.create({});
      const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });

      // Act
      const intent = await stripe.paymentIntents.create({
        amount: 1200,
        currency: 'usd',
        customer: customer.id,
        payment_method: card.id,
        confirm: true,
        ...CARD_ONLY,
      });

      // Assert
      expect(intent).toMatchObject({ status: 'succeeded', customer: customer.id, payment_method: card.id });
    });

    it("refuses a PaymentIntent with another customer's PaymentMethod before creating or charging anything", async () => {
      // Arrange
      const alice = await stripe.customers.create({});
      const bob = await stripe.customers.create({});
      const alices = await stripe.paymentMethods.attach('pm_card_visa', { customer: alice.id });
      const before = (await stripe.paymentIntents.list({ limit: 1 })).data[0]?.id;

      // Act
      const error = await rejectionOf(
        stripe.paymentIntents.create({
          amount: 1200,
          currency: 'usd',
          customer: bob.id,
          payment_method: alices.id,
          confirm: true,
          ...CARD_ONLY,
        }),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error).toMatchObject({ statusCode: 400, param: 'payment_method' });
      expect((await stripe.paymentIntents.list({ limit: 1 })).data[0]?.id).toBe(before);
    });

    it('refuses a PaymentIntent naming no customer with a PaymentMethod attached to one', async () => {
      // Arrange
      const alice = await stripe.customers.create({});
      const alices = await stripe.paymentMethods.attach('pm_card_visa', { customer: alice.id });

      // Act
      const error = await rejectionOf(
        stripe.paymentIntents.create({
          amount: 1200,
          currency: 'usd',
          payment_method: alices.id,
          confirm: true,
          ...CARD_ONLY,
        }),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error).toMatchObject({ statusCode: 400, param: 'payment_method' });
    });

    it("refuses to confirm another customer's PaymentIntent with a PaymentMethod attached elsewhere", async () => {
      // Arrange
      const alice = await stripe.customers.create({});
      const bob = await stripe.customers.create({});
      const alices = await stripe.paymentMethods.attach('pm_card_visa', { customer: alice.id });
      const intent = await stripe.paymentIntents.create({
        amount: 1200,
        currency: 'usd',
        customer: bob.id,
        ...CARD_ONLY,
      });

      // Act
      const error = await rejectionOf(
        stripe.paymentIntents.confirm(intent.id, { payment_method: alices.id }),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error).toMatchObject({ statusCode: 400, param: 'payment_method' });
      expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('requires_payment_method');
    });

    it('takes a test token for a customer: a fresh PaymentMethod nobody owns', async () => {
      // Arrange
      const customer = await stripe.customers.create({});

      // Act
      const intent = await stripe.paymentIntents.create({
        amount: 1200,
        currency: 'usd',
        customer: customer.id,
        payment_method: 'pm_card_visa',
        confirm: true,
        ...CARD_ONLY,
      });

      // Assert
      expect(intent).toMatchObject({ status: 'succeeded', customer: customer.id });
    });

    it('throws resource_missing naming customer when the PaymentIntent names an unknown customer', async () => {
      // Act
      const error = await rejectionOf(
        stripe.paymentIntents.create({
          amount: 1200,
          currency: 'usd',
          customer: 'cus_unknown',
          ...CARD_ONLY,
        }),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(error).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'customer' });
    });
  });

  describe('Protocol: form-encoded requests', () => {
    it('parses bracketed keys into nested params when the body is form-encoded', async () => {
      // Arrange
      const body = new URLSearchParams({
        amount: '1234',
        currency: 'usd',
        'metadata[order]': 'ord_77',
        'metadata[note]': 'a b&c',
        'payment_method_types[0]': 'card',
      });

      // Act
      const response = await fetch(`${server.url}/v1/payment_intents`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${SECRET_KEY}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body,
      });

      // Assert
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        amount: 1234,
        metadata: { order: 'ord_77', note: 'a b&c' },
        payment_method_types: ['card'],
      });
    });

    it('answers 400 parameter_unknown when a parameter is not part of the API', async () => {
      // Arrange
      const body = new URLSearchParams({ amount: '100', currency: 'usd', amout: '100' });

      // Act
      const response = await fetch(`${server.url}/v1/payment_intents`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${SECRET_KEY}` },
        body,
      });

      // Assert
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: {
          type: 'invalid_request_error',
          code: 'parameter_unknown',
          param: 'amout',
          message: 'Received unknown parameter: amout',
          doc_url: 'https://stripe.com/docs/error-codes/parameter-unknown',
        },
      });
    });
  });

  describe('Webhooks: delivery and signature', () => {
    it('delivers each event signed so that stripe.webhooks.constructEvent verifies it', async () => {
      // Arrange
      const intent = await stripe.paymentIntents.create({
        amount: 6000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        ...CARD_ONLY,
      });
      const [, succeeded] = await eventsFor(server, intent.id);
      const eventId = String(succeeded?.id);

      // Act
      await receiver.waitFor(() => receiver.deliveriesOf(eventId).length > 0);
      const [delivery] = receiver.deliveriesOf(eventId);
      const event = stripe.webhooks.constructEvent(
        delivery?.rawBody ?? '',
        delivery?.signature ?? '',
        WEBHOOK_SECRET,
      );

      // Assert
      expect(delivery?.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(delivery?.userAgent).toContain('Stripe/1.0');
      expect(event).toMatchObject({
        id: eventId,
        object: 'event',
        type: 'payment_intent.succeeded',
        livemode: false,
        pending_webhooks: 1,
        data: { object: { id: intent.id, status: 'succeeded' } },
      });
      expect(event.request).toEqual({
        id: intent.lastResponse.requestId,
        idempotency_key: expect.any(String),
      });
      const record = await settledDelivery(server, eventId);
      expect(record.delivery).toMatchObject({
        state: 'delivered',
        attempts: [{ status_code: 200, error: null }],
      });
    });

    it("signs exactly as the SDK's own test header generator does for the same payload and timestamp", () => {
      // Arrange
      const payload = JSON.stringify({ id: 'evt_test', object: 'event' }, null, 2);
      const timestamp = 1_700_000_000;

      // Act
      const header = signatureHeader(payload, WEBHOOK_SECRET, timestamp);

      // Assert
      expect(header).toBe(
        stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp }),
      );
    });

    it('fails verification when the delivered body is tampered with or the secret is wrong', async () => {
      // Arrange
      const intent = await stripe.paymentIntents.create({ amount: 6100, currency: 'usd', ...CARD_ONLY });
      const [created] = await eventsFor(server, intent.id);
      await receiver.waitFor(() => receiver.deliveriesOf(String(created?.id)).length > 0);
      const [delivery] = receiver.deliveriesOf(String(created?.id));
      const rawBody = delivery?.rawBody ?? '';
      const signature = delivery?.signature ?? '';
      const tampered = rawBody.replace('"amount": 6100', '"amount": 1');

      // Act
      const verifyTampered = () => stripe.webhooks.constructEvent(tampered, signature, WEBHOOK_SECRET);
      const verifyWrongSecret = () =>
        stripe.webhooks.constructEvent(rawBody, signature, 'whsec_someone_else');

      // Assert
      expect(tampered).not.toBe(rawBody);
      expect(verifyTampered).toThrow(Stripe.errors.StripeSignatureVerificationError);
      expect(verifyWrongSecret).toThrow(Stripe.errors.StripeSignatureVerificationError);
    });

    it('counts every /v1 request through onRequest', async () => {
      // Arrange
      const before = apiRequests;

      // Act
      await stripe.paymentMethods.retrieve('pm_card_visa');
      await rejectionOf(
        stripe.paymentIntents.retrieve('pi_missing'),
        Stripe.errors.StripeInvalidRequestError,
      );

      // Assert
      expect(apiRequests - before).toBe(2);
    });
  });
});

describe('Server: Stripe-compatible test server, webhook retries', () => {
  it('retries with backoff and records each attempt when the endpoint answers 500', async () => {
    // Arrange
    const receiver = new WebhookReceiver();
    await receiver.start();
    receiver.failNext(2);
    const server = await startStripeServer({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl: receiver.url,
    });

    try {
      // Act
      const intent = await clientFor(server, SECRET_KEY).paymentIntents.create({
        amount: 100,
        currency: 'usd',
        ...CARD_ONLY,
      });
      const [created] = await eventsFor(server, intent.id);
      const eventId = String(created?.id);
      await receiver.waitFor(() =>
        receiver.deliveriesOf(eventId).some((delivery) => delivery.answeredWith === 200),
      );

      // Assert
      const deliveries = receiver.deliveriesOf(eventId);
      expect(deliveries.map((delivery) => delivery.answeredWith)).toEqual([500, 500, 200]);
      for (const delivery of deliveries) {
        const verified = Stripe.webhooks.constructEvent(delivery.rawBody, delivery.signature, WEBHOOK_SECRET);
        expect(verified.id).toBe(eventId);
      }
      const record = await settledDelivery(server, eventId);
      expect(record.delivery.state).toBe('delivered');
      expect(record.delivery.attempts.map((attempt) => attempt.status_code)).toEqual([500, 500, 200]);
    } finally {
      await server.close();
      await receiver.close();
    }
  });

  it('gives up and records failed attempts when the endpoint is unreachable, and close() ends delivery', async () => {
    // Arrange
    const unreachable = new WebhookReceiver();
    await unreachable.start();
    const webhookUrl = unreachable.url;
    await unreachable.close();
    const server = await startStripeServer({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl,
    });
    const intent = await clientFor(server, SECRET_KEY).paymentIntents.create({
      amount: 100,
      currency: 'usd',
      ...CARD_ONLY,
    });

    // Act
    const waitForFirstAttempt = async () => {
      const deadline = Date.now() + 5000;
      for (;;) {
        const [record] = await localEvents(server);
        if ((record?.delivery.attempts.length ?? 0) > 0 || Date.now() > deadline) return record;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const record = await waitForFirstAttempt();
    const closing = server.close();

    // Assert
    expect(intent.status).toBe('requires_payment_method');
    expect(record?.delivery.attempts[0]).toMatchObject({ status_code: null, error: expect.any(String) });
    await expect(closing).resolves.toBeUndefined();
  });

  it('answers API requests while a delivery is still waiting on the endpoint, and close() cuts it off', async () => {
    // Arrange
    const receiver = new WebhookReceiver();
    await receiver.start();
    receiver.stopAnswering();
    const server = await startStripeServer({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl: receiver.url,
    });
    const client = clientFor(server, SECRET_KEY);

    try {
      // Act
      const intent = await client.paymentIntents.create({ amount: 100, currency: 'usd', ...CARD_ONLY });
      await receiver.waitFor(() => receiver.received.length > 0);
      const retrieved = await client.paymentIntents.retrieve(intent.id);
      const [record] = await localEvents(server, 'payment_intent.created');

      // Assert
      expect(retrieved.id).toBe(intent.id);
      expect(record?.delivery).toEqual({ state: 'pending', attempts: [] });
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});

describe('Function: parseForm', () => {
  it('builds nested hashes and arrays when keys use brackets', () => {
    // Arrange
    const body =
      'metadata[order]=1&metadata[note]=a+b&payment_method_types[1]=sepa&payment_method_types[0]=card&expand[]=latest_charge&expand[]=payment_method&a[b][c]=d';

    // Act
    const params = parseForm(body);

    // Assert
    expect(params).toEqual({
      metadata: { order: '1', note: 'a b' },
      payment_method_types: ['card', 'sepa'],
      expand: ['latest_charge', 'payment_method'],
      a: { b: { c: 'd' } },
    });
  });

  it('keeps __proto__ as an ordinary key when a client sends it', () => {
    // Arrange
    const body = '__proto__[polluted]=yes&metadata[__proto__]=x';

    // Act
    const params = parseForm(body);

    // Assert
    expect(Object.keys(params)).toEqual(['__proto__', 'metadata']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects a key given both as a value and as a hash', () => {
    // Arrange
    const body = 'metadata=x&metadata[order]=1';

    // Act
    const parse = () => parseForm(body);

    // Assert
    expect(parse).toThrow("'metadata[order]' is given both as a value and as a hash");
  });
});
