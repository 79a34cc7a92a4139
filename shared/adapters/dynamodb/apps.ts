/**
 * Merchants' apps (entities/app.ts): one item to find an app by its id, one in its merchant's partition
 * to list them, written together.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AppPage, Apps } from '../../app/merchants/ports.js';
import type { App, Mode } from '../../domain/merchant.js';
import { AppEntity, MerchantAppEntity } from './entities/app.js';
import { ABSENT } from './entity.js';
import { appKey, merchantTenantPartition } from './keys.js';

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

  async list(query: { merchantId: string; mode: Mode; limit: number; after?: string }): Promise<AppPage> {
    if (query.after !== undefined && !APP_SORT_KEY.test(query.after))
      throw new Error('Not an app listing position');
    const { Items: items = [], LastEvaluatedKey: lastKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :app)',
        ExpressionAttributeValues: {
          ':pk': merchantTenantPartition(query.merchantId, query.mode),
          ':app': 'APP#',
        },
        ...(query.after === undefined
          ? {}
          : {
              ExclusiveStartKey: {
                PK: merchantTenantPartition(query.merchantId, query.mode),
                SK: query.after,
              },
            }),
        Limit: query.limit,
      }),
    );
    const apps = items.map((item) => MerchantAppEntity.fromItem(item));
    const last = items.at(-1);
    return { apps, ...(lastKey !== undefined && last !== undefined ? { after: String(last.SK) } : {}) };
  }
}
