/**
 * The ConnectAccounts port on the Stripe SDK: an Express connected account per approved merchant, created
 * with an idempotency key derived from the merchant id, so a repeated approval (a retry after an outage
 * whose first attempt Stripe carried out) yields the same account.
 */
import Stripe from 'stripe';
import type { ConnectAccounts } from '../../app/merchants/ports.js';
import type { Merchant } from '../../domain/merchant.js';
import { mapStripeError } from './map-error.js';
import { endpointOf } from './stripe-provider.js';

export interface StripeConnectConfig {
  secretKey: string;
  /** The local Stripe-compatible server; unset means Stripe itself. */
  apiBase?: string;
  timeoutMs?: number;
}

/** The Stripe client the platform's Connect calls go through (accounts, transfers, payouts). */
export function connectClient(config: StripeConnectConfig): Stripe {
  return new Stripe(config.secretKey, {
    maxNetworkRetries: 1,
    timeout: config.timeoutMs ?? 10_000,
    ...(config.apiBase === undefined ? {} : endpointOf(config.apiBase)),
  });
}

export class StripeConnectAccounts implements ConnectAccounts {
  readonly #stripe: Stripe;

  constructor(config: StripeConnectConfig) {
    this.#stripe = connectClient(config);
  }

  async create(merchant: Merchant): Promise<string> {
    try {
      const account = await this.#stripe.accounts.create(
        {
          type: 'express',
          country: merchant.country,
          email: merchant.email,
          business_type: merchant.businessType,
          capabilities: { transfers: { requested: true } },
          metadata: { merchant_id: merchant.merchantId },
        },
        { idempotencyKey: `connect-account:${merchant.merchantId}` },
      );
      return account.id;
    } catch (error) {
      throw mapStripeError(error);
    }
  }
}
