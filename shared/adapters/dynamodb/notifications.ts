/**
 * Notifications and owners' push devices on the single table. A notification is created by a conditional
 * put (its id is derived from the event, channel and recipient, so a redelivered event finds it), and each
 * attempt is one conditional update that refuses to touch a notification already sent.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageQuery } from '../../app/merchant-customers/ports.js';
import type { DeviceStore, MerchantDevice, NotificationStore } from '../../app/notifications/ports.js';
import type { Tenant } from '../../domain/customer.js';
import type { Notification, NotificationChannel, NotificationStatus } from '../../domain/notification.js';
import { MerchantDeviceEntity, NotificationEntity } from './entities/notification.js';
import { putIfAbsent, updateExpression } from './entity.js';
import {
  MERCHANT_DEVICE_PREFIX,
  merchantDeviceKey,
  merchantKey,
  NOTIFICATION_SORT_KEY,
  notificationKey,
  notificationsIndexPartition,
} from './keys.js';
import { equalityFilter, queryPage } from './query-page.js';

export class DynamoDbNotifications implements NotificationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(notification: Notification): Promise<Notification> {
    const { value } = await putIfAbsent(this.client, this.tableName, NotificationEntity, notification, () =>
      this.get(notification, notification.notificationId),
    );
    return value;
  }

  markSent(notification: Notification, at: string): Promise<void> {
    return this.#attempt(notification, { status: 'sent', sentAt: at, updatedAt: at }, ['lastError']);
  }

  markFailed(notification: Notification, lastError: string, at: string): Promise<void> {
    return this.#attempt(notification, { status: 'failed', lastError, updatedAt: at }, []);
  }

  async get(tenant: Tenant, notificationId: string): Promise<Notification | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: notificationKey(tenant.merchantId, tenant.mode, notificationId),
        ConsistentRead: true,
      }),
    );
    return item === undefined ? undefined : NotificationEntity.fromItem(item);
  }

  list(
    tenant: Tenant,
    query: PageQuery & { channel?: NotificationChannel; status?: NotificationStatus },
  ): Promise<Page<Notification>> {
    const partition = notificationsIndexPartition(tenant.merchantId, tenant.mode);
    let start: Record<string, unknown> | undefined;
    if (query.after !== undefined) {
      const id = NOTIFICATION_SORT_KEY.exec(query.after)?.[1];
      if (id === undefined) throw new Error('Not a list position');
      start = {
        ...notificationKey(tenant.merchantId, tenant.mode, id),
        GSI1PK: partition,
        GSI1SK: query.after,
      };
    }
    const { values, ...filter } = equalityFilter({ channel: query.channel, status: query.status });
    return queryPage(
      this.client,
      this.tableName,
      query.limit,
      (item) => String(item.GSI1SK),
      (item) => NotificationEntity.fromItem(item),
      {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': partition, ...values },
        ...filter,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      },
    );
  }

  /** One attempt more, unless it was sent meanwhile (a twin delivery): then nothing changes. */
  async #attempt(
    notification: Notification,
    set: Record<string, unknown>,
    remove: readonly string[],
  ): Promise<void> {
    const expression = updateExpression({ set, remove, add: { attempts: 1, version: 1 } });
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: notificationKey(notification.merchantId, notification.mode, notification.notificationId),
          ...expression,
          ConditionExpression: 'attribute_exists(PK) AND #c_status <> :c_sent',
          ExpressionAttributeNames: { ...expression.ExpressionAttributeNames, '#c_status': 'status' },
          ExpressionAttributeValues: { ...expression.ExpressionAttributeValues, ':c_sent': 'sent' },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }
}

export class DynamoDbDevices implements DeviceStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(device: MerchantDevice): Promise<MerchantDevice> {
    const { value } = await putIfAbsent(
      this.client,
      this.tableName,
      MerchantDeviceEntity,
      device,
      async () => {
        const { Item: item } = await this.client.send(
          new GetCommand({
            TableName: this.tableName,
            Key: merchantDeviceKey(device.merchantId, device.deviceId),
            ConsistentRead: true,
          }),
        );
        return item === undefined ? undefined : MerchantDeviceEntity.fromItem(item);
      },
    );
    return value;
  }

  /** At most a hundred devices: an owner has a few phones, not a fleet. */
  async list(merchantId: string): Promise<MerchantDevice[]> {
    const { Items: items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': merchantKey(merchantId).PK, ':prefix': MERCHANT_DEVICE_PREFIX },
        Limit: 100,
      }),
    );
    return items.map((item) => MerchantDeviceEntity.fromItem(item));
  }
}
