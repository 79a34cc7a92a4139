/** Merchants' PaymentIntents on the single table, the customers they name, and the capture window. */
import * as z from 'zod/mini';
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbIntentCustomers } from '../adapters/dynamodb/intent-customers.js';
import { DynamoDbPaymentIntents } from '../adapters/dynamodb/payment-intents.js';
import { intSetting, readEnv, readTableName } from '../config.js';
import { DEFAULT_CAPTURE_WINDOW_SECONDS } from '../domain/payment-intent.js';
import { once } from '../lazy.js';
import { invoiceCompanions } from './invoice-companions.js';

/** With the invoice an intent pays made paid in the transaction it succeeds in (invoice-companions.ts). */
export const paymentIntents = once(
  () => new DynamoDbPaymentIntents(documentClient(), readTableName(), undefined, invoiceCompanions),
);

export const intentCustomers = once(() => new DynamoDbIntentCustomers(documentClient(), readTableName()));

/** CAPTURE_WINDOW_SECONDS: how long an authorization waits for its capture before it is cancelled. */
export const captureWindowSeconds = once(
  () =>
    readEnv(z.object({ CAPTURE_WINDOW_SECONDS: intSetting(DEFAULT_CAPTURE_WINDOW_SECONDS) }))
      .CAPTURE_WINDOW_SECONDS,
);
