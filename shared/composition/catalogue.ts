/** Merchants' products and prices on the single table, and the PriceReader the other billing parts read. */
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbCatalogue } from '../adapters/dynamodb/catalogue.js';
import type { PriceReader } from '../app/billing/ports.js';
import { priceReader } from '../app/prices/catalogue.js';
import { readTableName } from '../config.js';
import { once } from '../lazy.js';

export const catalogue = once(() => new DynamoDbCatalogue(documentClient(), readTableName()));

/** The tenant's price by id (subscriptions, checkout and invoices read prices through this). */
export const prices = once((): PriceReader => priceReader(catalogue()));
