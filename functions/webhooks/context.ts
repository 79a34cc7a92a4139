/**
 * The webhook functions' wiring: adapters built once per cold start, each on first use, so a function reads
 * only the variables of what it touches (the ingest has no table, the consumer no need of the cursor key).
 */
import { z } from 'zod';
import { documentClient, sqs } from '../../shared/adapters/aws/clients.js';
import { SqsWebhookQueue } from '../../shared/adapters/aws/webhook-queue.js';
import { DynamoDbDisputes } from '../../shared/adapters/dynamodb/disputes.js';
import { DynamoDbWebhookInbox } from '../../shared/adapters/dynamodb/webhook-inbox.js';
import { webhookVerifier } from '../../shared/composition/providers.js';
import { nonEmpty, readEnv, readTableName } from '../../shared/config.js';
import { once } from '../../shared/lazy.js';

export const webhookQueue = once(
  () => new SqsWebhookQueue(sqs(), readEnv(z.object({ WEBHOOK_QUEUE_URL: nonEmpty })).WEBHOOK_QUEUE_URL),
);

export const inbox = once(() => new DynamoDbWebhookInbox(documentClient(), readTableName()));

/** Disputes of top-ups, written with the ledger transfer that freezes, releases or debits their money. */
export const disputes = once(() => new DynamoDbDisputes(documentClient(), readTableName()));

/** Stripe's signature check (local, no network: neither retries nor the breaker apply), keys from the app secrets. */
export const stripeProvider = () => webhookVerifier('stripe');

/** PayPal's signature check, which asks PayPal (verify-webhook-signature). */
export const paypalProvider = () => webhookVerifier('paypal');
