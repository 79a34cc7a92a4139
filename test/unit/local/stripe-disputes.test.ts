/**
 * The local Stripe server's dispute controls: a dispute opened and moved on through `/local/stripe/...`,
 * each change delivered as a signed event carrying the dispute as Stripe's Dispute object has it.
 */
import type Stripe from 'stripe';
import { type RunningStripeServer, startStripeServer } from '../../../local/stripe/server.js';
import { clientFor } from './stripe-client.js';
import { WebhookReceiver } from './stripe-webhook-receiver.js';

const SECRET_KEY = 'sk_test_local51TweenPaymentsStripeServerKey';
const WEBHOOK_SECRET = 'whsec_local_test_signing_secret';
/** Card PaymentIntents confirmed server-side, with no redirect-based methods in play. */
const CARD_ONLY = { payment_method_types: ['card'] };

interface DisputeJson {
  id: string;
  object: string;
  amount: number;
  charge: string;
  currency: string;
  payment_intent: string;
  reason: string;
  status: string;
}

describe('Local server: Stripe disputes', () => {
  const receiver = new WebhookReceiver();
  let server: RunningStripeServer;
  let stripe: Stripe;

  beforeAll(async () => {
    await receiver.start();
    server = await startStripeServer({
      port: 0,
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl: receiver.url,
    });
    stripe = clientFor(server, SECRET_KEY);
  });

  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  function control(path: string, body: unknown): Promise<Response> {
    return fetch(`${server.url}/local/stripe/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async function capturedCharge(): Promise<{ chargeId: string; intentId: string }> {
    const intent = await stripe.paymentIntents.create({
      amount: 2_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      ...CARD_ONLY,
    });
    const chargeId =
      typeof intent.latest_charge === 'string' ? intent.latest_charge : intent.latest_charge?.id;
    if (chargeId === undefined) throw new Error('no charge');
    return { chargeId, intentId: intent.id };
  }

  /** The signed webhook of `type` about `disputeId`, verified with the endpoint's secret as Stripe's SDK does. */
  async function delivered(type: string, disputeId: string): Promise<Stripe.Event> {
    for (let tries = 0; tries < 100; tries += 1) {
      for (const webhook of receiver.received) {
        const event = stripe.webhooks.constructEvent(webhook.rawBody, webhook.signature, WEBHOOK_SECRET);
        const object = event.data.object as { id?: string };
        if (event.type === type && object.id === disputeId) return event;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`${type} of ${disputeId} was not delivered`);
  }

  it('opens a dispute on a captured charge and sends charge.dispute.created, signed', async () => {
    // Arrange
    const { chargeId, intentId } = await capturedCharge();

    // Act
    const response = await control(`charges/${chargeId}/dispute`, { reason: 'fraudulent' });

    // Assert
    expect(response.status).toBe(200);
    const dispute = (await response.json()) as DisputeJson;
    expect(dispute).toMatchObject({
      object: 'dispute',
      amount: 2_000,
      charge: chargeId,
      currency: 'usd',
      payment_intent: intentId,
      reason: 'fraudulent',
      status: 'needs_response',
    });
    expect((await delivered('charge.dispute.created', dispute.id)).data.object).toMatchObject({
      id: dispute.id,
      status: 'needs_response',
    });
  });

  it('sends charge.dispute.updated while open and charge.dispute.closed when it closes, then refuses more', async () => {
    // Arrange
    const { chargeId } = await capturedCharge();
    const dispute = (await (await control(`charges/${chargeId}/dispute`, {})).json()) as DisputeJson;

    // Act
    const reviewed = await control(`disputes/${dispute.id}/status`, { status: 'under_review' });
    const lost = await control(`disputes/${dispute.id}/status`, { status: 'lost' });
    const again = await control(`disputes/${dispute.id}/status`, { status: 'won' });

    // Assert
    expect(reviewed.status).toBe(200);
    expect(lost.status).toBe(200);
    expect(again.status).toBe(400);
    expect((await delivered('charge.dispute.updated', dispute.id)).data.object).toMatchObject({
      status: 'under_review',
    });
    expect((await delivered('charge.dispute.closed', dispute.id)).data.object).toMatchObject({
      status: 'lost',
    });
  });

  it('refuses a second dispute of a charge, an unknown charge, and a status that is not a dispute status', async () => {
    // Arrange
    const { chargeId } = await capturedCharge();
    const dispute = (await (await control(`charges/${chargeId}/dispute`, {})).json()) as DisputeJson;

    // Act
    const twice = await control(`charges/${chargeId}/dispute`, {});
    const unknown = await control('charges/ch_unknown/dispute', {});
    const badStatus = await control(`disputes/${dispute.id}/status`, { status: 'settled' });
    const tooMuch = await control(`charges/${(await capturedCharge()).chargeId}/dispute`, { amount: 2_001 });

    // Assert
    expect([twice.status, unknown.status, badStatus.status, tooMuch.status]).toEqual([400, 404, 400, 400]);
  });
});
