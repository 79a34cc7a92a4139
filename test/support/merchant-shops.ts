/**
 * Merchants of a test's own on the shared local stack, over HTTP as a merchant's server calls the API: an
 * active merchant (stored directly, as review would leave it) with its keys and a live app, the request
 * options of a key, and the refund rows of its balance transactions.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDbMerchants } from '../../shared/adapters/dynamodb/merchants.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { call, tokenFor } from './api.js';
import { merchant } from './fakes/merchants.js';
import { localDocumentClient } from './ledger.js';

type Json = Record<string, unknown>;

export interface Shop {
  merchantId: string;
  live: string;
  test: string;
  appId: string;
}

/** A request with the key `secret`, a body when given, and an Idempotency-Key (a new one unless `null`). */
export const withKey = (secret: string, body?: unknown, key: string | null = randomUUID()) => ({
  headers: { authorization: `Bearer ${secret}`, ...(key === null ? {} : { 'idempotency-key': key }) },
  ...(body === undefined ? {} : { body }),
});

let merchants: DynamoDbMerchants | undefined;

/**
 * An active merchant of its own, with a live and a test key and a live app mini-app payments name; `name`
 * is the merchant's name when given (what a hosted checkout page shows).
 */
export async function newShop(name?: string): Promise<Shop> {
  merchants ??= new DynamoDbMerchants(localDocumentClient(), tableDefinition.localName);
  const owner = `@owner-${randomUUID()}:tween.example`;
  const merchantId = `mch_${randomUUID().replaceAll('-', '')}`;
  await merchants.create({
    ...merchant(merchantId, 'active', owner),
    ...(name === undefined ? {} : { name }),
  });
  const token = await tokenFor(owner);
  const secret = async (mode: string) => {
    const answer = await call<Json>('POST', `/merchant/v1/merchants/${merchantId}/api-keys`, {
      token,
      body: { mode, name: mode },
    });
    if (answer.status !== 201) throw new Error(`A ${mode} key for ${merchantId}: ${answer.status}`);
    return String(answer.body.secret);
  };
  const live = await secret('live');
  const app = await call<Json>('POST', '/v1/apps', withKey(live, { name: 'Shop' }, null));
  if (app.status !== 201) throw new Error(`A live app for ${merchantId}: ${app.status}`);
  return { merchantId, live, test: await secret('test'), appId: String(app.body.id) };
}

/** The refund rows of the key's balance transactions, newest first. */
export async function refundTransactions(secret: string): Promise<Json[]> {
  const answer = await call<{ data: Json[] }>(
    'GET',
    '/v1/balance_transactions?limit=100',
    withKey(secret, undefined, null),
  );
  return answer.body.data.filter((transaction) => transaction.type === 'refund');
}
