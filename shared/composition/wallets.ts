/** Card top-ups, saved cards and the processors' customers they belong to, on the single table. */
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbProviderCustomers } from '../adapters/dynamodb/provider-customers.js';
import { DynamoDbSavedCards } from '../adapters/dynamodb/saved-cards.js';
import { DynamoDbTopups } from '../adapters/dynamodb/topups.js';
import { readTableName } from '../config.js';
import { once } from '../lazy.js';

export const topups = once(() => new DynamoDbTopups(documentClient(), readTableName()));
export const savedCards = once(() => new DynamoDbSavedCards(documentClient(), readTableName()));
export const providerCustomers = once(() => new DynamoDbProviderCustomers(documentClient(), readTableName()));
