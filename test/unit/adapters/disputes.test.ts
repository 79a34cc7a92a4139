import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbDisputes, toDispute } from '../../../shared/adapters/dynamodb/disputes.js';
import { disputeKey } from '../../../shared/adapters/dynamodb/keys.js';
import type { Dispute } from '../../../shared/domain/dispute.js';
import { InvalidStateTransitionError } from '../../../shared/domain/errors.js';
import { accounts } from '../../../shared/domain/ledger.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const documentMock = mockClient(DynamoDBDocumentClient);
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', credentials }));
const TABLE = 'table';
const AT = '2026-03-01T12:00:00.000Z';

const dispute: Dispute = {
  disputeId: 'dp_1',
  provider: 'stripe',
  topupId: 'tu_1',
  userId: 'user_alice',
  walletId: 'tw_alice',
  providerPaymentId: 'pi_1',
  amount: 1_500,
  currency: 'USD',
  frozenAmount: 1_500,
  shortfall: 0,
  status: 'open',
  providerStatus: 'needs_response',
  reason: 'fraudulent',
  freezeTransferId: 'dispute_dp_1_freeze',
  createdAt: AT,
  updatedAt: AT,
};

describe('Function: disputeKey', () => {
  it('returns the DISPUTE# partition and the fixed DISPUTE sort key for a dispute id', () => {
    expect(disputeKey('dp_1')).toEqual({ PK: 'DISPUTE#dp_1', SK: 'DISPUTE' });
  });
});

describe('Function: toDispute', () => {
  it('reads back what the adapter stores, without the table attributes', () => {
    // Act
    const read = toDispute({ ...disputeKey('dp_1'), type: 'Dispute', version: 1, ...dispute });

    // Assert
    expect(read).toEqual(dispute);
  });

  it('refuses an item with a status this code does not write', () => {
    expect(() => toDispute({ ...dispute, status: 'settled' })).toThrow('unknown status');
  });
});

describe('Class: DynamoDbDisputes', () => {
  beforeEach(() => documentMock.reset());

  it('opens a dispute with its freeze in one transaction, the dispute put only if absent', async () => {
    // Arrange
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await new DynamoDbDisputes(documentClient, TABLE).open(dispute, {
      type: 'pending',
      id: 'dispute_dp_1_freeze',
      debit: accounts.wallet('tw_alice', 'USD'),
      credit: accounts.providerClearing('stripe', 'USD'),
      amount: 1_500,
      code: 'dispute',
    });

    // Assert
    expect(documentMock).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = documentMock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.at(-1)?.Put).toMatchObject({
      Item: expect.objectContaining({ PK: 'DISPUTE#dp_1', status: 'open', frozenAmount: 1_500 }),
      ConditionExpression: 'attribute_not_exists(PK)',
    });
  });

  it('answers the stored dispute when it was opened before, freezing nothing more', async () => {
    // Arrange
    documentMock
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    documentMock.on(GetCommand).resolves({ Item: { ...disputeKey('dp_1'), ...dispute, frozenAmount: 0 } });

    // Act
    const stored = await new DynamoDbDisputes(documentClient, TABLE).open({ ...dispute, frozenAmount: 9 });

    // Assert
    expect(stored.frozenAmount).toBe(0);
  });

  it('closes only an open dispute, and answers InvalidStateTransitionError for a closed one', async () => {
    // Arrange
    documentMock
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'closed', $metadata: {} }));
    documentMock.on(GetCommand).resolves({ Item: { ...disputeKey('dp_1'), ...dispute, status: 'lost' } });

    // Act
    const closing = new DynamoDbDisputes(documentClient, TABLE).close(
      'dp_1',
      { status: 'won', providerStatus: 'won' },
      AT,
    );

    // Assert
    await expect(closing).rejects.toThrow(InvalidStateTransitionError);
    expect(documentMock).toHaveReceivedCommandWith(UpdateCommand, { ConditionExpression: '#status = :open' });
  });
});
