/**
 * A merchant's balance transactions and monthly volume in the single table. A payment's charge is written
 * by the payment's own transaction (chargeItems, used by the payments adapter); settlement moves a due
 * transaction pending → available with one TransactWriteItems conditional on its status, so a rerun or a
 * twin job moves it once. The due ones are found on a sparse GSI2 partition: no scan.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BalanceTransactionPage, MerchantBalances } from '../../app/balance/ports.js';
import {
  type BalanceTransaction,
  type BalanceTransactionType,
  type MerchantCharge,
  type MerchantRefund,
  settlementTransferOf,
} from '../../domain/balance.js';
import { type Account, type LedgerMode, merchantBalanceOwner } from '../../domain/ledger.js';
import { BalanceTransactionEntity } from './entities/balance-transaction.js';
import { ABSENT } from './entity.js';
import {
  BALANCE_TRANSACTION_PREFIX,
  balanceTransactionIdIndexKey,
  merchantTenantPartition,
  merchantVolumeKey,
  SETTLEMENT_DUE_PARTITION,
} from './keys.js';
import {
  CompanionConditionFailedError,
  type DynamoDbLedger,
  type TransactItem,
  TransferAlreadyExecutedError,
} from './ledger.js';
import { queryPage } from './query-page.js';

/** The balance transaction of a movement, put once (its key is new). */
export function balanceTransactionPut(tableName: string, transaction: BalanceTransaction): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: BalanceTransactionEntity.toItem(transaction),
      ConditionExpression: ABSENT,
    },
  };
}

/**
 * The companions of a payment's completion on the merchant side: its balance transaction, its splits' (each
 * split merchant's and the charging merchant's), and the charging merchant's volume (the whole amount: a
 * split is not volume of the merchant it pays, see splits.ts).
 */
export function chargeItems(tableName: string, charge: MerchantCharge): TransactItem[] {
  return [
    balanceTransactionPut(tableName, charge.transaction),
    ...charge.splitTransactions.map((transaction) => balanceTransactionPut(tableName, transaction)),
    {
      Update: {
        TableName: tableName,
        Key: merchantVolumeKey(charge.merchantId, charge.mode, charge.month),
        UpdateExpression: 'ADD volume :amount SET #type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':amount': charge.transaction.amount, ':type': 'MerchantVolume' },
      },
    },
  ];
}

/** The companions of a refund on the merchant side: its balance transaction and its split reversals'. */
export function refundItems(tableName: string, refund: MerchantRefund): TransactItem[] {
  return [refund.transaction, ...refund.splitTransactions].map((transaction) =>
    balanceTransactionPut(tableName, transaction),
  );
}

export class DynamoDbMerchantBalances implements MerchantBalances {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ledger: DynamoDbLedger,
  ) {}

  async monthlyVolume(merchantId: string, mode: LedgerMode, month: string): Promise<number> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: merchantVolumeKey(merchantId, mode, month) }),
    );
    return typeof item?.volume === 'number' ? item.volume : 0;
  }

  accounts(merchantId: string, mode: LedgerMode): Promise<Account[]> {
    return this.ledger.accountsOf(merchantBalanceOwner(merchantId, mode));
  }

  async transactions(query: {
    merchantId: string;
    mode: LedgerMode;
    limit: number;
    type?: BalanceTransactionType;
    after?: string;
  }): Promise<BalanceTransactionPage> {
    const partition = merchantTenantPartition(query.merchantId, query.mode);
    const page = await queryPage(
      this.client,
      this.tableName,
      query.limit,
      (item) => String(item.SK),
      (item) => BalanceTransactionEntity.fromItem(item),
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': partition,
          ':prefix': BALANCE_TRANSACTION_PREFIX,
          ...(query.type === undefined ? {} : { ':kind': query.type }),
        },
        ...(query.type === undefined
          ? {}
          : { FilterExpression: '#kind = :kind', ExpressionAttributeNames: { '#kind': 'kind' } }),
        ...(query.after === undefined ? {} : { ExclusiveStartKey: { PK: partition, SK: query.after } }),
      },
    );
    return { transactions: page.items, ...(page.after === undefined ? {} : { after: page.after }) };
  }

  async transaction(transactionId: string): Promise<BalanceTransaction | undefined> {
    const { GSI1PK, GSI1SK } = balanceTransactionIdIndexKey(transactionId);
    const { Items: items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK = :sk',
        ExpressionAttributeValues: { ':pk': GSI1PK, ':sk': GSI1SK },
        Limit: 1,
      }),
    );
    const [item] = items;
    return item === undefined ? undefined : BalanceTransactionEntity.fromItem(item);
  }

  async due(now: number, limit: number): Promise<BalanceTransaction[]> {
    const { Items: items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :due AND GSI2SK <= :now',
        ExpressionAttributeValues: {
          ':due': SETTLEMENT_DUE_PARTITION,
          ':now': `${String(now).padStart(12, '0')}#~`,
        },
        Limit: limit,
      }),
    );
    return items.map((item) => BalanceTransactionEntity.fromItem(item));
  }

  async settle(transaction: BalanceTransaction): Promise<boolean> {
    const key = BalanceTransactionEntity.key(transaction);
    const update = {
      Update: {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET #status = :available ADD version :one REMOVE GSI2PK, GSI2SK',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':available': 'available', ':pending': 'pending', ':one': 1 },
      },
    };
    const transfer = settlementTransferOf(transaction);
    try {
      if (transfer.amount === 0) await this.client.send(new UpdateCommand(update.Update));
      else await this.ledger.executeWith({ type: 'post', ...transfer }, [update]);
      return true;
    } catch (error) {
      if (error instanceof CompanionConditionFailedError) return false;
      if (error instanceof ConditionalCheckFailedException) return false;
      // The settlement moved with its status change, so the status says it is settled.
      if (error instanceof TransferAlreadyExecutedError) return false;
      throw error;
    }
  }
}
