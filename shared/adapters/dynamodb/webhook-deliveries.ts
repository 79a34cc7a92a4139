/**
 * The delivery's store (app/webhook-delivery/ports.ts DeliveryStore) on the single table: everything the
 * delivery reads and writes is in the merchant's tenant partition, so order per object and the log are
 * consistent Queries of it. An attempt, the delivery's new state and the endpoint's health are one
 * transaction, conditional on the attempts the delivery had: a twin worker records nothing.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DeliveryStore, DeliveryTask } from '../../app/webhook-delivery/ports.js';
import { ConcurrentModificationError } from '../../domain/errors.js';
import type { Mode } from '../../domain/merchant.js';
import type {
  Delivery,
  DeliveryAttempt,
  WebhookEndpoint,
  WebhookEvent,
} from '../../domain/webhook-events.js';
import { isTransactionConflict, retryOnConflict } from './conflicts.js';
import {
  endpointOf,
  eventOf,
  MerchantEventEntity,
  WebhookAttemptEntity,
  WebhookDeliveryEntity,
  WebhookEndpointEntity,
} from './entities/outbound-webhook.js';
import { ABSENT } from './entity.js';
import {
  merchantEventKey,
  merchantTenantPartition,
  webhookDeliveryKey,
  webhookDeliveryObjectPrefix,
  webhookEndpointKey,
} from './keys.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Opens an endpoint's sealed secret (the KMS envelope its registration made). */
export type SecretOpener = (sealed: string, endpoint: WebhookEndpoint) => Promise<string>;

export class DynamoDbDeliveryStore implements DeliveryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly openSecret: SecretOpener,
  ) {}

  async endpoint(merchantId: string, mode: Mode, endpointId: string): Promise<WebhookEndpoint | undefined> {
    const item = await this.#get(webhookEndpointKey(merchantId, mode, endpointId));
    return item === undefined ? undefined : endpointOf(WebhookEndpointEntity.fromItem(item));
  }

  async signingSecret(endpoint: WebhookEndpoint): Promise<string> {
    const item = await this.#get(webhookEndpointKey(endpoint.merchantId, endpoint.mode, endpoint.id));
    if (item === undefined) throw new Error(`Webhook endpoint ${endpoint.id} is gone`);
    return this.openSecret(WebhookEndpointEntity.fromItem(item).sealedSecret, endpoint);
  }

  async event(merchantId: string, mode: Mode, eventId: string): Promise<WebhookEvent | undefined> {
    const item = await this.#get(merchantEventKey(merchantId, mode, eventId));
    return item === undefined ? undefined : eventOf(MerchantEventEntity.fromItem(item));
  }

  async delivery(task: DeliveryTask): Promise<Delivery | undefined> {
    const event = await this.event(task.merchantId, task.mode, task.eventId);
    if (event === undefined) return undefined;
    const item = await this.#get(
      webhookDeliveryKey(task.merchantId, task.mode, task.endpointId, event.objectId, event.sequence),
    );
    return item === undefined ? undefined : WebhookDeliveryEntity.fromItem(item);
  }

  async blockingDelivery(endpoint: WebhookEndpoint, event: WebhookEvent): Promise<Delivery | undefined> {
    if (event.sequence <= 1) return undefined;
    const partition = merchantTenantPartition(event.merchantId, event.mode);
    const before = webhookDeliveryKey(
      event.merchantId,
      event.mode,
      endpoint.id,
      event.objectId,
      event.sequence,
    );
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          FilterExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pk': partition,
            ':from': webhookDeliveryObjectPrefix(endpoint.id, event.objectId),
            // BETWEEN is inclusive: the event's own delivery is the upper bound, and skipped below.
            ':to': before.SK,
            ':pending': 'pending',
          },
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      for (const item of page.Items ?? []) {
        const delivery = WebhookDeliveryEntity.fromItem(item);
        if (delivery.sequence < event.sequence) return delivery;
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return undefined;
  }

  async recordAttempt(attempt: DeliveryAttempt, next: Delivery, expectedAttempts: number): Promise<void> {
    const deliveryItem = WebhookDeliveryEntity.toItem(next);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...deliveryItem, version: expectedAttempts + 1 },
          ConditionExpression:
            expectedAttempts === 0
              ? 'attribute_not_exists(PK) OR attempts = :expected'
              : 'attempts = :expected',
          ExpressionAttributeValues: { ':expected': expectedAttempts },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: WebhookAttemptEntity.toItem(attempt),
          ConditionExpression: ABSENT,
        },
      },
    ];
    const health = this.#health(attempt);
    try {
      await this.#transact([...items, health]);
    } catch (error) {
      if (failedAt(error, 0) || failedAt(error, 1)) {
        throw new ConcurrentModificationError('Webhook delivery');
      }
      // The endpoint was deleted meanwhile: the attempt is still the log's, with no health to keep.
      if (!failedAt(error, 2)) throw error;
      await this.#transact(items).catch((retryError: unknown) => {
        if (failedAt(retryError, 0) || failedAt(retryError, 1)) {
          throw new ConcurrentModificationError('Webhook delivery');
        }
        throw retryError;
      });
    }
  }

  async disableFailing(endpoint: WebhookEndpoint): Promise<boolean> {
    if (endpoint.failingSince === undefined) return false;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webhookEndpointKey(endpoint.merchantId, endpoint.mode, endpoint.id),
          UpdateExpression: 'SET #status = :disabled, disabledReason = :failing ADD version :one',
          ConditionExpression: '#status = :enabled AND failingSince = :since',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':disabled': 'disabled',
            ':enabled': 'enabled',
            ':failing': 'failing',
            ':since': endpoint.failingSince,
            ':one': 1,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** A success clears the endpoint's failure clock; a failure starts it unless it is running. */
  #health(attempt: DeliveryAttempt): TransactItem {
    const succeeded =
      attempt.statusCode !== undefined && attempt.statusCode >= 200 && attempt.statusCode < 300;
    return {
      Update: {
        TableName: this.tableName,
        Key: webhookEndpointKey(attempt.merchantId, attempt.mode, attempt.endpointId),
        ConditionExpression: 'attribute_exists(PK)',
        // The version moves too, so an owner's update made against the endpoint as read before is read again.
        ...(succeeded
          ? {
              UpdateExpression: 'REMOVE failingSince ADD version :one',
              ExpressionAttributeValues: { ':one': 1 },
            }
          : {
              UpdateExpression: 'SET failingSince = if_not_exists(failingSince, :at) ADD version :one',
              ExpressionAttributeValues: { ':at': attempt.attemptedAt, ':one': 1 },
            }),
      },
    };
  }

  async #get(key: { PK: string; SK: string }): Promise<Record<string, unknown> | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return item;
  }

  #transact(items: TransactItem[]): Promise<unknown> {
    return retryOnConflict(() => this.client.send(new TransactWriteCommand({ TransactItems: items })));
  }
}

/** Whether the transaction was cancelled because the condition of item `index` did not hold. */
function failedAt(error: unknown, index: number): boolean {
  return (
    error instanceof TransactionCanceledException &&
    !isTransactionConflict(error) &&
    error.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed'
  );
}
