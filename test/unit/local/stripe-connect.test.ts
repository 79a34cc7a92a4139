/**
 * The local Stripe server's Connect money movement, through the real SDK: transfers fund a connected
 * account, reversals never exceed what is unreversed, payouts on the account (`Stripe-Account`) are paid
 * by a timer with a signed Connect `payout.paid`, or fail as the control route armed them, with the money
 * back on the account.
 */
import type Stripe from 'stripe';
import { type RunningStripeServer, startStripeServer } from '../../../local/stripe/server.js';
import { clientFor } from './stripe-client.js';
import { WebhookReceiver } from './stripe-webhook-receiver.js';

const SECRET_KEY = 'sk_test_local51TweenPaymentsStripeServerKey';
const WEBHOOK_SECRET = 'whsec_local_test_signing_secret';

describe('Local server: Stripe Connect transfers and payouts', () => {
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
    await control('PUT', 'payouts/delay', { ms: 50 });
  });

  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  function control(method: string, path: string, body: unknown): Promise<Response> {
    return fetch(`${server.url}/local/stripe/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async function fundedAccount(amount: number): Promise<string> {
    const account = await stripe.accounts.create({ type: 'express', country: 'US' });
    await stripe.transfers.create({
      amount,
      currency: 'usd',
      destination: account.id,
      transfer_group: 'po_1',
    });
    return account.id;
  }

  async function delivered(type: string, payoutId: string): Promise<Stripe.Event> {
    for (let tries = 0; tries < 200; tries += 1) {
      for (const webhook of receiver.received) {
        const event = stripe.webhooks.constructEvent(webhook.rawBody, webhook.signature, WEBHOOK_SECRET);
        if (event.type === type && (event.data.object as { id?: string }).id === payoutId) return event;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`${type} of ${payoutId} was not delivered`);
  }

  it('pays a payout on the connected account and sends payout.paid carrying the account', async () => {
    // Arrange
    const account = await fundedAccount(20_000);
    // Act
    const payout = await stripe.payouts.create(
      { amount: 19_800, currency: 'usd', method: 'instant' },
      { stripeAccount: account, idempotencyKey: 'po-paid-1' },
    );
    const event = await delivered('payout.paid', payout.id);
    // Assert
    expect(payout.status).toBe('in_transit');
    expect(payout.arrival_date).toBeGreaterThan(payout.created);
    expect(event.account).toBe(account);
    const read = await stripe.payouts.retrieve(payout.id, {}, { stripeAccount: account });
    expect(read.status).toBe('paid');
  });

  it('refuses a payout larger than the connected balance as balance_insufficient', async () => {
    // Arrange
    const account = await fundedAccount(10_000);
    // Act
    const attempt = stripe.payouts.create({ amount: 10_001, currency: 'usd' }, { stripeAccount: account });
    // Assert
    await expect(attempt).rejects.toMatchObject({ code: 'balance_insufficient' });
  });

  it('fails the next payout when armed, with its failure_code, and credits the account back', async () => {
    // Arrange
    const account = await fundedAccount(30_000);
    await control('POST', 'payouts/fail-next', { failure_code: 'account_closed' });
    // Act
    const failed = await stripe.payouts.create(
      { amount: 30_000, currency: 'usd' },
      { stripeAccount: account },
    );
    const event = await delivered('payout.failed', failed.id);
    const again = await stripe.payouts.create(
      { amount: 30_000, currency: 'usd' },
      { stripeAccount: account },
    );
    // Assert
    expect((event.data.object as Stripe.Payout).failure_code).toBe('account_closed');
    expect(event.account).toBe(account);
    expect((await delivered('payout.paid', again.id)).account).toBe(account);
  });

  it('reverses a transfer in parts, never beyond the unreversed amount', async () => {
    // Arrange
    const account = await stripe.accounts.create({ type: 'express', country: 'US' });
    const transfer = await stripe.transfers.create({
      amount: 5_000,
      currency: 'usd',
      destination: account.id,
    });
    // Act
    const first = await stripe.transfers.createReversal(transfer.id, { amount: 3_000 });
    const tooMuch = stripe.transfers.createReversal(transfer.id, { amount: 2_001 });
    // Assert
    expect(first.amount).toBe(3_000);
    await expect(tooMuch).rejects.toMatchObject({ statusCode: 400 });
    const reversals = await stripe.transfers.listReversals(transfer.id);
    expect(reversals.data.map((r) => r.amount)).toEqual([3_000]);
    expect((await stripe.transfers.retrieve(transfer.id)).amount_reversed).toBe(3_000);
  });

  it('answers a payout retried under the same key with the same payout', async () => {
    // Arrange
    const account = await fundedAccount(40_000);
    const create = () =>
      stripe.payouts.create(
        { amount: 15_000, currency: 'usd' },
        { stripeAccount: account, idempotencyKey: 'po-twice' },
      );
    // Act
    const [first, second] = [await create(), await create()];
    // Assert
    expect(second.id).toBe(first.id);
  });
});
