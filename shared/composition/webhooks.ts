/** The provider webhooks' queue (WEBHOOK_QUEUE_URL), their inbox and the disputes they open. */
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { sqs } from '../adapters/aws/sqs-client.js';
import { SqsWebhookQueue } from '../adapters/aws/webhook-queue.js';
import { DynamoDbDisputes } from '../adapters/dynamodb/disputes.js';
import { DynamoDbWebhookInbox } from '../adapters/dynamodb/webhook-inbox.js';
import { readSetting, readTableName } from '../config.js';
import { queueDefinition } from '../infra/queues.js';
import { once } from '../lazy.js';

export const webhookQueue = once(
  () => new SqsWebhookQueue(sqs(), readSetting(queueDefinition('webhooks').urlEnv)),
);
export const webhookInbox = once(() => new DynamoDbWebhookInbox(documentClient(), readTableName()));
/** Disputes of top-ups, written with the ledger transfer that freezes, releases or debits their money. */
export const disputes = once(() => new DynamoDbDisputes(documentClient(), readTableName()));
