import { DynamoDbDisputes } from '../../../shared/adapters/dynamodb/disputes.js';
import { DynamoDbGiftStore } from '../../../shared/adapters/dynamodb/gifts.js';
import { DynamoDbP2pTransfers } from '../../../shared/adapters/dynamodb/p2p-transfers.js';
import { DynamoDbPayments } from '../../../shared/adapters/dynamodb/payments.js';
import { DynamoDbProviderCustomers } from '../../../shared/adapters/dynamodb/provider-customers.js';
import { DynamoDbSavedCards } from '../../../shared/adapters/dynamodb/saved-cards.js';
import { DynamoDbTopups } from '../../../shared/adapters/dynamodb/topups.js';
import { DynamoDbWalletDirectory } from '../../../shared/adapters/dynamodb/wallets.js';
import { DynamoDbWebhookInbox } from '../../../shared/adapters/dynamodb/webhook-inbox.js';
import { randomIds } from '../../../shared/adapters/ids.js';
import { tableDefinition } from '../../../shared/infra/table.js';
import {
  providerCustomersContract,
  savedCardsContract,
  walletsContract,
} from '../../contract/customers.cases.js';
import { disputesContract } from '../../contract/disputes.cases.js';
import { giftsContract } from '../../contract/gifts.cases.js';
import { ledgerContract } from '../../contract/ledger.cases.js';
import { p2pTransfersContract } from '../../contract/p2p-transfers.cases.js';
import { paymentsContract } from '../../contract/payments.cases.js';
import { topupsContract } from '../../contract/topups.cases.js';
import { webhookInboxContract } from '../../contract/webhook-inbox.cases.js';
import { createLocalTable, ledgerProblems, localDocumentClient, localLedger } from '../../support/ledger.js';

const TABLE_NAME = `${tableDefinition.localName}-contract`;
const client = localDocumentClient();
const ledger = localLedger(client, undefined, TABLE_NAME);

describe('Contract: DynamoDB adapters', () => {
  beforeAll(async () => {
    await createLocalTable(TABLE_NAME);
  });

  afterAll(async () => {
    expect(await ledgerProblems(client, TABLE_NAME)).toEqual([]);
  });

  ledgerContract(() => ({ ledger }));
  topupsContract(() => ({ ledger, topups: new DynamoDbTopups(client, TABLE_NAME, ledger) }));
  disputesContract(() => ({ ledger, disputes: new DynamoDbDisputes(client, TABLE_NAME, ledger) }));
  paymentsContract(() => ({ ledger, payments: new DynamoDbPayments(client, TABLE_NAME, ledger) }));
  p2pTransfersContract(() => ({ ledger, transfers: new DynamoDbP2pTransfers(client, TABLE_NAME, ledger) }));
  webhookInboxContract(() => ({ inbox: new DynamoDbWebhookInbox(client, TABLE_NAME) }));
  walletsContract(() => ({ wallets: new DynamoDbWalletDirectory(client, TABLE_NAME, randomIds) }));
  providerCustomersContract(() => ({ customers: new DynamoDbProviderCustomers(client, TABLE_NAME) }));
  savedCardsContract(() => ({ cards: new DynamoDbSavedCards(client, TABLE_NAME) }));
  giftsContract(() => ({ ledger, gifts: new DynamoDbGiftStore(client, TABLE_NAME, ledger) }));
});
