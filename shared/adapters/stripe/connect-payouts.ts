/**
 * The PayoutRails port on Stripe Connect: a transfer from the platform to the merchant's connected account
 * (`transfer_group` = our payout id), then a payout on that account (`Stripe-Account`), each with an
 * idempotency key derived from our payout id, so a retried step is the same step at Stripe. A refusal
 * (an invalid request: `balance_insufficient`, a closed account...) is PayoutRefusedError with Stripe's
 * code; anything else is mapped as the payment adapter maps it (an outage is a retryable ProcessorError).
 */
import Stripe from 'stripe';
import { type PayoutRails, PayoutRefusedError, type ProviderPayout } from '../../app/payouts/ports.js';
import type { Payout } from '../../domain/payout.js';
import { connectClient, type StripeConnectConfig } from './connect-accounts.js';
import { mapStripeError } from './map-error.js';

export class StripeConnectPayouts implements PayoutRails {
  readonly #stripe: Stripe;

  constructor(config: StripeConnectConfig) {
    this.#stripe = connectClient(config);
  }

  async transfer(payout: Payout, amount: number): Promise<string> {
    const transfer = await this.#call(() =>
      this.#stripe.transfers.create(
        {
          amount,
          currency: payout.currency.toLowerCase(),
          destination: payout.destination,
          transfer_group: payout.payoutId,
          metadata: metadataOf(payout),
        },
        { idempotencyKey: `payout-transfer:${payout.payoutId}` },
      ),
    );
    return transfer.id;
  }

  async payout(payout: Payout, amount: number): Promise<ProviderPayout> {
    const sent = await this.#call(() =>
      this.#stripe.payouts.create(
        {
          amount,
          currency: payout.currency.toLowerCase(),
          method: payout.method,
          metadata: metadataOf(payout),
        },
        { idempotencyKey: `payout:${payout.payoutId}`, stripeAccount: payout.destination },
      ),
    );
    return providerPayoutOf(sent);
  }

  async reverseTransfer(transferId: string, amount: number, key: string): Promise<string> {
    const reversal = await this.#call(() =>
      this.#stripe.transfers.createReversal(
        transferId,
        { amount },
        { idempotencyKey: `transfer-reversal:${key}` },
      ),
    );
    return reversal.id;
  }

  async retrievePayout(account: string, providerPayoutId: string): Promise<ProviderPayout> {
    return providerPayoutOf(
      await this.#call(() => this.#stripe.payouts.retrieve(providerPayoutId, {}, { stripeAccount: account })),
    );
  }

  async #call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError && (error.statusCode ?? 400) < 500)
        throw new PayoutRefusedError(error.code ?? 'invalid_request');
      throw mapStripeError(error);
    }
  }
}

function metadataOf(payout: Payout): Record<string, string> {
  return { payoutId: payout.payoutId, merchantId: payout.merchantId, mode: payout.mode };
}

/** Stripe's payout as the port reads it: its status, failure code and the metadata naming ours. */
export function providerPayoutOf(payout: Stripe.Payout): ProviderPayout {
  const { payoutId, merchantId, mode } = payout.metadata ?? {};
  return {
    id: payout.id,
    status:
      payout.status === 'pending' ||
      payout.status === 'in_transit' ||
      payout.status === 'paid' ||
      payout.status === 'failed'
        ? payout.status
        : 'canceled',
    ...(payout.failure_code === null ? {} : { failureCode: payout.failure_code }),
    ...(payoutId === undefined ? {} : { payoutId }),
    ...(merchantId === undefined ? {} : { merchantId }),
    ...(mode === undefined ? {} : { mode }),
  };
}
