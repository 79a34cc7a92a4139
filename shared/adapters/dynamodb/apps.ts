/**
 * Merchants' apps (entities/app.ts): one item to find an app by its id, one in its merchant's partition
 * to list them, written together.
 */
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AppPage, Apps } from '../../app/merchants/ports.js';
import type { App, Mode } from '../../domain/merchant.js';
import { AppEntity, MerchantAppEntity } from './entities/app.js';
import { ABSENT } from './entity.js';
import { appKey, merchantTenantPartition } from './keys.js';
import { queryPage } from './query-page.js';

/** Sort keys of a merchant's app list: `APP#<ISO time>#<id>`. */
const APP_SORT_KEY = /^APP#\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#app_[A-Za-z0-9_]{1,64}$/;

export class DynamoDbApps implements Apps {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(app: App): Promise<App> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: AppEntity.toItem(app), ConditionExpression: ABSENT } },
          {
            Put: {
              TableName: this.tableName,
              Item: MerchantAppEntity.toItem(app),
              ConditionExpression: ABSENT,
            },
          },
        ],
      }),
    );
    return app;
  }

  async get(appId: string): Promise<App | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: appKey(appId) }),
    );
    return item === undefined ? undefined : AppEntity.fromItem(item);
  }

  /** One page of the merchant's apps in one mode, newest first. */
  async list(query: { merchantId: string; mode: Mode; limit: number; after?: string }): Promise<AppPage> {
    if (query.after !== undefined && !APP_SORT_KEY.test(query.after))
      throw new Error('Not an app listing position');
    const partition = merchantTenantPartition(query.merchantId, query.mode);
    const page = await queryPage(
      this.client,
      this.tableName,
      query.limit,
      (item) => String(item.SK),
      (item) => MerchantAppEntity.fromItem(item),
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :app)',
        ExpressionAttributeValues: { ':pk': partition, ':app': 'APP#' },
        ...(query.after === undefined ? {} : { ExclusiveStartKey: { PK: partition, SK: query.after } }),
      },
    );
    return { apps: page.items, ...(page.after === undefined ? {} : { after: page.after }) };
  }
}
