import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbPayments } from '../../../shared/adapters/dynamodb/payments.js';
import type { Refund } from '../../../shared/app/payments/ports.js';
import type { Payment } from '../../../shared/domain/payment.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const documentMock = mockClient(DynamoDBDocumentClient);
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', credentials }));
const AT = '2026-03-01T12:00:00.000Z';

const payment = {
  paymentId: 'pay_1',
  userId: '@alice:tween.example',
  appId: 'app_1',
  amount: { value: 2_000, currency: 'USD' },
  paymentMethod: { type: 'wallet' },
  description: 'Coffee',
  metadata: {},
  state: 'Completed',
  mfaRequired: false,
  refundedAmount: 0,
  history: [],
  createdAt: AT,
  updatedAt: AT,
} as Payment;

const refund: Refund = {
  refundId: 'rf_1',
  paymentId: 'pay_1',
  userId: '@alice:tween.example',
  amount: 500,
  currency: 'USD',
  status: 'pending',
  createdAt: AT,
  updatedAt: AT,
};

function cancelled(codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

describe('Class: DynamoDbPayments', () => {
  beforeEach(() => documentMock.reset());

  describe('Method: reserveRefund', () => {
    it('records the refund when its transaction first lost a conflict with another one on the payment', async () => {
      // Arrange
      documentMock.on(GetCommand).resolves({});
      documentMock
        .on(TransactWriteCommand)
        .rejectsOnce(cancelled(['None', 'TransactionConflict']))
        .resolves({});

      // Act
      const reserved = await new DynamoDbPayments(documentClient, 'table').reserveRefund(payment, refund);

      // Assert
      expect(reserved).toEqual({ refund, created: true });
      expect(documentMock).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
    });
  });
});
