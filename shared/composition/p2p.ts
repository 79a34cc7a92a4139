/** P2P transfers on the single table, and their acceptance window. */
import * as z from 'zod/mini';
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbP2pTransfers } from '../adapters/dynamodb/p2p-transfers.js';
import { intSetting, readEnv, readTableName } from '../config.js';
import { once } from '../lazy.js';

export const p2pTransfers = once(() => new DynamoDbP2pTransfers(documentClient(), readTableName()));

/** How long a recipient has to accept (P2P_ACCEPTANCE_WINDOW_SECONDS). */
export const p2pAcceptanceWindowSeconds = once(
  () =>
    readEnv(z.object({ P2P_ACCEPTANCE_WINDOW_SECONDS: intSetting(86_400) })).P2P_ACCEPTANCE_WINDOW_SECONDS,
);
