/**
 * Merchants that can pay out, on the shared local stack: active (or not), with a connected account at the
 * local Stripe server and a test key, and settled funds in test-mode `available` (a charge's net as
 * settlement leaves it, written with its balance transaction).
 */
import { randomUUID } from 'node:crypto';
import { balanceTransactionPut } from '../../shared/adapters/dynamodb/merchant-balances.js';
import { DynamoDbMerchants } from '../../shared/adapters/dynamodb/merchants.js';
import { accounts } from '../../shared/domain/ledger.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { call, endpoint, tokenFor } from './api.js';
import { merchant } from './fakes/merchants.js';
import { localDocumentClient, localLedger } from './ledger.js';

const STRIPE_KEY = 'sk_test_tween_local_0000000000000000';

export interface PayoutShop {
  merchantId: string;
  test: string;
  account: string;
}

async function stripe(path: string, form: Record<string, string>): Promise<Record<string, unknown>> {
  const response = await fetch(`${endpoint('stripe')}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${STRIPE_KEY}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** An active merchant with a connected account at the local Stripe server, a test key, and `available` USD. */
export async function payoutShop(
  available: number,
  status: 'active' | 'in_review' = 'active',
): Promise<PayoutShop> {
  const account = String((await stripe('/v1/accounts', { type: 'express', country: 'US' })).id);
  const owner = `@owner-${randomUUID()}:tween.example`;
  const merchantId = `mch_${randomUUID().replaceAll('-', '')}`;
  await new DynamoDbMerchants(localDocumentClient(), tableDefinition.localName).create({
    ...merchant(merchantId, status, owner),
    connectedAccountId: account,
  });
  const key = await call<{ secret: string }>('POST', `/merchant/v1/merchants/${merchantId}/api-keys`, {
    token: await tokenFor(owner),
    body: { mode: 'test', name: 'test' },
  });
  if (key.status !== 201) throw new Error(`A test key for ${merchantId}: ${key.status}`);
  if (available > 0) await settleFunds(merchantId, available);
  return { merchantId, test: key.body.secret, account };
}

/** Settled funds: a charge's net already moved to available, with its (available) balance transaction. */
export async function settleFunds(merchantId: string, amount: number): Promise<void> {
  const created = Math.floor(Date.now() / 1000);
  const transactionId = `txn_${randomUUID().replaceAll('-', '')}`;
  await localLedger().executeWith(
    {
      type: 'post',
      id: `seed:${transactionId}`,
      debit: accounts.providerClearing('stripe_test', 'USD'),
      credit: accounts.merchantAvailable(merchantId, 'test', 'USD'),
      amount,
      code: 'payment',
    },
    [
      balanceTransactionPut(tableDefinition.localName, {
        id: transactionId,
        merchantId,
        mode: 'test',
        kind: 'charge',
        amount,
        fee: 0,
        net: amount,
        currency: 'USD',
        status: 'available',
        availableOn: created,
        source: `pi_seed${created}`,
        created,
      }),
    ],
  );
}
