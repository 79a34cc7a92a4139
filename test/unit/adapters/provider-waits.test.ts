import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { IntentRefundEntity } from '../../../shared/adapters/dynamodb/entities/intent-refund.js';
import { DynamoDbIntentRefunds } from '../../../shared/adapters/dynamodb/intent-refunds.js';
import { intentRefundKey, providerWaitIndexKey } from '../../../shared/adapters/dynamodb/keys.js';
import type { DynamoDbLedger } from '../../../shared/adapters/dynamodb/ledger.js';
import { DynamoDbPayments } from '../../../shared/adapters/dynamodb/payments.js';
import { DynamoDbProviderWaits } from '../../../shared/adapters/dynamodb/provider-waits.js';
import { DynamoDbTopups } from '../../../shared/adapters/dynamodb/topups.js';
import type { IntentRefund } from '../../../shared/app/refunds/ports.js';
import type { Topup } from '../../../shared/app/wallets/ports.js';
import { ValidationError } from '../../../shared/domain/errors.js';
import type { Payment } from '../../../shared/domain/payment.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const documentMock = mockClient(DynamoDBDocumentClient);
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', credentials }));
const TABLE = 'table';
const AT = '2026-03-01T12:00:00.000Z';

const topup: Topup = {
  topupId: 'tu_1',
  userId: 'user_alice',
  walletId: 'tw_alice',
  amount: 1_500,
  currency: 'USD',
  paymentMethodId: 'pm_card_visa',
  provider: 'stripe',
  status: 'pending',
  createdAt: AT,
  updatedAt: AT,
};

describe('Function: providerWaitIndexKey', () => {
  it('returns one partition per kind, sorted by the time the record started waiting', () => {
    expect(providerWaitIndexKey('topup', AT, 'tu_1')).toEqual({
      GSI2PK: 'PROVIDERWAIT#topup',
      GSI2SK: `${AT}#tu_1`,
    });
  });
});

describe('Class: DynamoDbTopups', () => {
  beforeEach(() => documentMock.reset());

  it('puts a new top-up in the provider-wait index, from its creation', async () => {
    // Arrange
    documentMock.on(PutCommand).resolves({});

    // Act
    await new DynamoDbTopups(documentClient, TABLE).create(topup);

    // Assert
    expect(documentMock).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ GSI2PK: 'PROVIDERWAIT#topup', GSI2SK: `${AT}#tu_1` }),
    });
  });

  it('takes a top-up out of the index in the write that settles it', async () => {
    // Arrange
    documentMock.on(UpdateCommand).resolves({ Attributes: { ...topup, status: 'succeeded' } });
    const topups = new DynamoDbTopups(documentClient, TABLE);

    // Act
    await topups.transition('tu_1', ['pending'], { status: 'succeeded' }, AT);
    await topups.transition('tu_1', ['pending'], { status: 'requires_action' }, AT);

    // Assert
    const expressions = documentMock.commandCalls(UpdateCommand).map((c) => c.args[0].input.UpdateExpression);
    expect(expressions[0]).toContain('REMOVE GSI2PK, GSI2SK');
    expect(expressions[1]).not.toContain('REMOVE');
  });
});

/** The payment as its update returns it: a whole stored payment, which the adapter parses. */
const payment: Payment = {
  paymentId: 'pay_1',
  userId: 'user_alice',
  appId: 'app_1',
  amount: { value: 1_500, currency: 'USD' },
  paymentMethod: { type: 'card', id: 'pm_card_visa' },
  description: 'Coffee',
  metadata: {},
  state: 'Processing',
  mfaRequired: false,
  refundedAmount: 0,
  history: [],
  createdAt: AT,
  updatedAt: AT,
};

describe('Class: DynamoDbPayments', () => {
  beforeEach(() => documentMock.reset());

  it('joins the index on entering Processing to wait on the provider, and leaves it on the way out', async () => {
    // Arrange
    documentMock.on(UpdateCommand).resolves({ Attributes: payment });
    const payments = new DynamoDbPayments(documentClient, TABLE);

    // Act
    await payments.transition('pay_1', {
      from: 'Authorized',
      event: 'process',
      actor: 'system',
      at: AT,
      awaitsProvider: true,
    });
    await payments.transition('pay_1', { from: 'Processing', event: 'completed', actor: 'provider', at: AT });

    // Assert
    const [joined, left] = documentMock.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(joined?.UpdateExpression).toContain('GSI2PK = :waitPk, GSI2SK = :waitSk');
    expect(joined?.ExpressionAttributeValues).toMatchObject({
      ':waitPk': 'PROVIDERWAIT#payment',
      ':waitSk': `${AT}#pay_1`,
    });
    expect(left?.UpdateExpression).toContain('REMOVE GSI2PK, GSI2SK');
  });
});

describe('Class: DynamoDbProviderWaits', () => {
  beforeEach(() => documentMock.reset());

  it('queries GSI2 for what started waiting before the time, and goes on from the last item', async () => {
    // Arrange
    documentMock.on(QueryCommand).resolves({
      Items: [{ GSI2SK: `${AT}#tu_1` }],
      LastEvaluatedKey: { PK: 'TOPUP#tu_1' },
    });
    const waits = new DynamoDbProviderWaits(documentClient, TABLE);

    // Act
    const page = await waits.waitingBefore('topup', '2026-03-01T13:00:00.000Z', {
      limit: 10,
      after: `${AT}#tu_0`,
    });

    // Assert
    expect(page).toEqual({
      items: [{ kind: 'topup', id: 'tu_1', waitingSince: AT }],
      after: `${AT}#tu_1`,
    });
    expect(documentMock).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :before',
      ExpressionAttributeValues: { ':pk': 'PROVIDERWAIT#topup', ':before': '2026-03-01T13:00:00.000Z' },
      Limit: 10,
      ExclusiveStartKey: {
        PK: 'TOPUP#tu_0',
        SK: 'TOPUP',
        GSI2PK: 'PROVIDERWAIT#topup',
        GSI2SK: `${AT}#tu_0`,
      },
    });
  });

  it('refuses a position that did not come from it', async () => {
    await expect(
      new DynamoDbProviderWaits(documentClient, TABLE).waitingBefore('topup', AT, { limit: 1, after: 'x' }),
    ).rejects.toThrow(ValidationError);
  });
});

describe('PaymentIntent refunds on the provider-wait index', () => {
  const refund: IntentRefund = {
    refundId: 're_1',
    merchantId: 'mch_shop',
    mode: 'test',
    intentId: 'pi_1',
    amount: 1_500,
    currency: 'USD',
    status: 'pending',
    createdAt: AT,
    updatedAt: AT,
  };

  beforeEach(() => documentMock.reset());

  it('puts a pending refund on the index under its tenant and id, and an ended one not', () => {
    expect(IntentRefundEntity.toItem(refund)).toMatchObject({
      GSI2PK: 'PROVIDERWAIT#intent_refund',
      GSI2SK: `${AT}#test.mch_shop.re_1`,
    });
    expect(IntentRefundEntity.toItem({ ...refund, status: 'succeeded' })).not.toHaveProperty('GSI2PK');
  });

  it('takes a refund off the index in the write that ends it', async () => {
    // Arrange
    documentMock.on(TransactWriteCommand).resolves({});
    documentMock
      .on(GetCommand)
      .resolves({ Item: IntentRefundEntity.toItem({ ...refund, status: 'failed' }) });
    const store = new DynamoDbIntentRefunds(documentClient, TABLE, {} as DynamoDbLedger);

    // Act
    await store.settle({ refund, status: 'failed', at: AT, settledBefore: 0 });

    // Assert
    const [write] = documentMock.commandCalls(TransactWriteCommand);
    expect(write?.args[0].input.TransactItems?.[0]?.Update?.UpdateExpression).toContain(
      'REMOVE GSI2PK, GSI2SK',
    );
  });

  it('goes on from the last refund of a page by its tenant partition key', async () => {
    // Arrange
    documentMock.on(QueryCommand).resolves({ Items: [{ GSI2SK: `${AT}#live.mch_shop.re_2` }] });
    const waits = new DynamoDbProviderWaits(documentClient, TABLE);

    // Act
    const page = await waits.waitingBefore('intent_refund', '2026-03-01T13:00:00.000Z', {
      limit: 10,
      after: `${AT}#test.mch_shop.re_1`,
    });

    // Assert
    expect(page.items).toEqual([{ kind: 'intent_refund', id: 'live.mch_shop.re_2', waitingSince: AT }]);
    expect(documentMock).toHaveReceivedCommandWith(QueryCommand, {
      ExclusiveStartKey: {
        ...intentRefundKey('mch_shop', 'test', 're_1'),
        GSI2PK: 'PROVIDERWAIT#intent_refund',
        GSI2SK: `${AT}#test.mch_shop.re_1`,
      },
    });
  });
});
