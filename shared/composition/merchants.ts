/** Merchants on the single table. */
import { loadAppSecrets } from '../adapters/aws/app-secrets.js';
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbApiKeys } from '../adapters/dynamodb/api-keys.js';
import { DynamoDbApps } from '../adapters/dynamodb/apps.js';
import { DynamoDbMerchants } from '../adapters/dynamodb/merchants.js';
import { ApiKeyHasher } from '../app/merchants/api-key-secret.js';
import { LiveAppCache } from '../app/merchants/live-app.js';
import { readTableName } from '../config.js';
import { once, onceAsync } from '../lazy.js';

export const merchants = once(() => new DynamoDbMerchants(documentClient(), readTableName()));

export const apps = once(() => new DynamoDbApps(documentClient(), readTableName()));

/** A live app of an active merchant stays one (live-app.ts); a minute bounds it should that ever change. */
export const liveApps = once(() => new LiveAppCache(60_000));

export const apiKeys = once(() => new DynamoDbApiKeys(documentClient(), readTableName()));

/** The keyed hash of API key secrets, keyed by the app secrets' `apiKeyPepper` (read on first use). */
export const apiKeyHasher = onceAsync(async () => {
  const { apiKeyPepper } = await loadAppSecrets();
  if (apiKeyPepper === undefined) throw new Error('The app secrets have no apiKeyPepper');
  return new ApiKeyHasher(apiKeyPepper);
});
