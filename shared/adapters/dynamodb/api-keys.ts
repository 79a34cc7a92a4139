/**
 * API keys in the single table (entities/api-key.ts): the lookup by hash the authorizer reads, and the
 * listing item in the merchant's partition; every change writes both in one conditional transaction.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyPage, ApiKeys } from '../../app/merchants/api-keys.js';
import type { ApiKey, ApiKeyGrant } from '../../domain/api-key.js';
import { NotFoundError } from '../../domain/errors.js';
import { retryOnConflict } from './conflicts.js';
import { ApiKeyLookupEntity, lookupOf, MerchantApiKeyEntity } from './entities/api-key.js';
import { ABSENT } from './entity.js';
import { apiKeyLookupKey, merchantApiKeyKey, merchantApiKeysIndexPartition } from './keys.js';
import { queryPage } from './query-page.js';

/** Positions in a merchant's key listing (GSI1 sort keys): `<ISO created>#key_<id>`. */
const KEY_POSITION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#(key_[A-Za-z0-9]{1,64})$/;
/** An active key not rolled yet: what a roll may start from. */
const ROLLABLE = 'attribute_exists(PK) AND #status = :active AND attribute_not_exists(expiresAt)';
const ACTIVE = 'attribute_exists(PK) AND #status = :active';

export class DynamoDbApiKeys implements ApiKeys {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(key: ApiKey): Promise<ApiKey> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          this.#put(ApiKeyLookupEntity.toItem(lookupOf(key))),
          this.#put(MerchantApiKeyEntity.toItem(key)),
        ],
      }),
    );
    return key;
  }

  async get(merchantId: string, keyId: string): Promise<ApiKey | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: merchantApiKeyKey(merchantId, keyId),
        ConsistentRead: true,
      }),
    );
    return item === undefined ? undefined : MerchantApiKeyEntity.fromItem(item);
  }

  /** The merchant's keys newest first (GSI1, `<created>#<keyId>`), as every list of the platform. */
  async list(query: { merchantId: string; limit: number; after?: string }): Promise<ApiKeyPage> {
    const partition = merchantApiKeysIndexPartition(query.merchantId);
    let start: Record<string, unknown> | undefined;
    if (query.after !== undefined) {
      const [, keyId] = KEY_POSITION.exec(query.after) ?? [];
      if (keyId === undefined) throw new Error('Not an API key listing position');
      start = { ...merchantApiKeyKey(query.merchantId, keyId), GSI1PK: partition, GSI1SK: query.after };
    }
    const page = await queryPage(
      this.client,
      this.tableName,
      query.limit,
      (item) => String(item.GSI1SK),
      (item) => MerchantApiKeyEntity.fromItem(item),
      {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      },
    );
    return { keys: page.items, ...(page.after === undefined ? {} : { after: page.after }) };
  }

  async grantOf(secretHash: string): Promise<ApiKeyGrant | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: apiKeyLookupKey(secretHash), ConsistentRead: true }),
    );
    if (item === undefined) return undefined;
    const { secretHash: _hash, ...grant } = ApiKeyLookupEntity.fromItem(item);
    return grant;
  }

  async roll(old: ApiKey, next: ApiKey, expiresAt: string): Promise<void> {
    await this.#conditionally([
      this.#put(ApiKeyLookupEntity.toItem(lookupOf(next))),
      this.#put(MerchantApiKeyEntity.toItem(next)),
      this.#update(apiKeyLookupKey(old.secretHash), ROLLABLE, 'SET expiresAt = :at', { ':at': expiresAt }),
      this.#update(merchantApiKeyKey(old.merchantId, old.keyId), ROLLABLE, 'SET expiresAt = :at', {
        ':at': expiresAt,
      }),
    ]);
  }

  async revoke(key: ApiKey): Promise<ApiKey> {
    const revoke = 'SET #status = :revoked';
    await this.#conditionally([
      this.#update(apiKeyLookupKey(key.secretHash), ACTIVE, revoke, { ':revoked': 'revoked' }),
      this.#update(merchantApiKeyKey(key.merchantId, key.keyId), ACTIVE, revoke, { ':revoked': 'revoked' }),
    ]);
    return { ...key, status: 'revoked' };
  }

  #put(item: Record<string, unknown>) {
    return { Put: { TableName: this.tableName, Item: item, ConditionExpression: ABSENT } };
  }

  #update(key: { PK: string; SK: string }, condition: string, set: string, values: Record<string, unknown>) {
    return {
      Update: {
        TableName: this.tableName,
        Key: key,
        ConditionExpression: condition,
        UpdateExpression: `${set} ADD version :one`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ...values, ':active': 'active', ':one': 1 },
      },
    };
  }

  /** A key that is no longer in the state the change needs (revoked, rolled, gone) is NOT_FOUND. */
  async #conditionally(items: NonNullable<TransactWriteCommand['input']['TransactItems']>): Promise<void> {
    try {
      await retryOnConflict(() => this.client.send(new TransactWriteCommand({ TransactItems: items })));
    } catch (error) {
      const failed =
        error instanceof TransactionCanceledException &&
        (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');
      if (failed) throw new NotFoundError('API key');
      throw error;
    }
  }
}
