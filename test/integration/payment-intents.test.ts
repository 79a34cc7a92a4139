/**
 * Merchant PaymentIntents on DynamoDB Local (a table of its own): the store's conditional changes with
 * their outbox events, the tenant's list, and the capture window — statemachines/payment-intent-capture.asl.json,
 * the file CDK deploys — run on the local Step Functions runner with a 2 s window, its task calling the real
 * use case on the same table (the processor is the fake one).
 */
import { readFileSync } from 'node:fs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { outboxKey } from '../../shared/adapters/dynamodb/keys.js';
import { DynamoDbMerchantBalances } from '../../shared/adapters/dynamodb/merchant-balances.js';
import { DynamoDbPaymentIntents } from '../../shared/adapters/dynamodb/payment-intents.js';
import type { PaymentIntentDeps } from '../../shared/app/payment-intents/common.js';
import { createPaymentIntent } from '../../shared/app/payment-intents/intents.js';
import { capturePaymentIntent, expireAuthorization } from '../../shared/app/payment-intents/settle.js';
import { ConcurrentModificationError } from '../../shared/domain/errors.js';
import { domainEventId } from '../../shared/domain/events.js';
import {
  DEFAULT_FEE_TIERS,
  DEFAULT_PROCESSING_FEE,
  parseFeeTiers,
  parseProcessingFee,
} from '../../shared/domain/fees.js';
import { available } from '../../shared/domain/ledger.js';
import { CurrencyPolicy } from '../../shared/domain/money.js';
import type { PaymentIntent } from '../../shared/domain/payment-intent.js';
import { functions } from '../../shared/infra/functions.js';
import { PaymentIntentCaptureTask } from '../../shared/infra/lifecycle-tasks.js';
import { stateMachines } from '../../shared/infra/state-machines.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { unique } from '../contract/subject.js';
import { sequentialIds } from '../support/fakes/ids.js';
import { FakeIntentCustomers } from '../support/fakes/payment-intents.js';
import { FakePaymentProvider } from '../support/fakes/payment-provider.js';
import { createLocalTable, ledgerProblems, localDocumentClient, localLedger } from '../support/ledger.js';
import { connectRunner, localRunner, type RunnerConnection } from '../support/local-runner.js';

const TABLE_NAME = `${tableDefinition.localName}-payment-intents`;
const client = localDocumentClient();
const intents = new DynamoDbPaymentIntents(client, TABLE_NAME);
const balances = new DynamoDbMerchantBalances(client, TABLE_NAME, localLedger(client, undefined, TABLE_NAME));
const WINDOW_SECONDS = 2;

function newIntent(tenant: { merchantId: string; mode: 'test' | 'live' }, createdAt: string): PaymentIntent {
  return {
    intentId: unique('pi_'),
    ...tenant,
    amount: 1_000,
    currency: 'USD',
    status: 'requires_confirmation',
    captureMethod: 'manual',
    amountCapturable: 0,
    amountReceived: 0,
    customerId: null,
    paymentMethodId: 'pm_card_visa',
    description: null,
    metadata: {},
    splits: [],
    attempts: 0,
    providerPaymentId: null,
    lastPaymentError: null,
    nextActionUrl: null,
    cancellationReason: null,
    captureBefore: null,
    fees: null,
    canceledAt: null,
    createdAt,
    updatedAt: createdAt,
  };
}

beforeAll(async () => {
  await createLocalTable(TABLE_NAME);
});

describe('PaymentIntents on DynamoDB Local', () => {
  it('of two concurrent changes from the same intent, writes one, with its event in the same transaction', async () => {
    // Arrange
    const tenant = { merchantId: unique('mch_'), mode: 'test' as const };
    const intent = await intents.create(newIntent(tenant, new Date().toISOString()));
    const canceled = (reason: 'duplicate' | 'abandoned'): PaymentIntent => ({
      ...intent,
      status: 'canceled',
      cancellationReason: reason,
      updatedAt: new Date().toISOString(),
    });
    const eventOf = (after: PaymentIntent) => ({
      type: 'payment_intent.canceled' as const,
      detail: {
        eventId: domainEventId('payment_intent.canceled', intent.intentId),
        occurredAt: after.updatedAt,
        merchantId: tenant.merchantId,
        mode: tenant.mode,
        paymentIntentId: intent.intentId,
        status: 'canceled',
        amount: intent.amount,
        amountReceived: 0,
        currency: 'USD',
      },
    });
    const [a, b] = [canceled('duplicate'), canceled('abandoned')];

    // Act
    const results = await Promise.allSettled([
      intents.save(intent, a, eventOf(a)),
      intents.save(intent, b, eventOf(b)),
    ]);

    // Assert
    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter((result) => result.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((result) => (result as PromiseRejectedResult).reason)).toEqual([
      expect.any(ConcurrentModificationError),
    ]);
    const stored = await intents.get(tenant, intent.intentId);
    expect(stored).toEqual((won[0] as PromiseFulfilledResult<PaymentIntent>).value);
    const { Item: outbox } = await client.send(
      new GetCommand({
        TableName: TABLE_NAME,
        Key: outboxKey(domainEventId('payment_intent.canceled', intent.intentId)),
      }),
    );
    expect(outbox?.detail).toMatchObject({ paymentIntentId: intent.intentId, status: 'canceled' });
  });

  it("lists a tenant's intents newest first, by status and customer, page by page; another mode sees none", async () => {
    // Arrange
    const tenant = { merchantId: unique('mch_'), mode: 'test' as const };
    const base = Date.parse('2026-12-07T10:00:00.000Z');
    const made: PaymentIntent[] = [];
    for (let i = 0; i < 5; i += 1) {
      const intent = newIntent(tenant, new Date(base + i * 1_000).toISOString());
      const owned = i === 2 ? { ...intent, customerId: 'cus_ada' } : intent;
      made.push(await intents.create(i % 2 === 0 ? owned : { ...owned, status: 'canceled' }));
    }

    // Act
    const first = await intents.list(tenant, { status: 'requires_confirmation', limit: 2 });
    const second = await intents.list(tenant, {
      status: 'requires_confirmation',
      limit: 2,
      ...(first.after === undefined ? {} : { after: first.after }),
    });
    const live = await intents.list({ ...tenant, mode: 'live' }, { limit: 10 });
    const adas = await intents.list(tenant, {
      customerId: 'cus_ada',
      status: 'requires_confirmation',
      limit: 10,
    });
    const adasCanceled = await intents.list(tenant, { customerId: 'cus_ada', status: 'canceled', limit: 10 });

    // Assert
    expect(first.intents.map((intent) => intent.intentId)).toEqual([made[4]?.intentId, made[2]?.intentId]);
    expect(second.intents.map((intent) => intent.intentId)).toEqual([made[0]?.intentId]);
    expect(second.after).toBeUndefined();
    expect(live.intents).toEqual([]);
    expect(adas.intents.map((intent) => intent.intentId)).toEqual([made[2]?.intentId]);
    expect(adasCanceled.intents).toEqual([]);
  });
});

describe('Lifecycle: the capture window (statemachines/payment-intent-capture.asl.json)', () => {
  const { lambda, stepFunctions } = localRunner();
  const provider = new FakePaymentProvider().card('pm_card_visa', 'succeeded');
  const tenant = { merchantId: unique('mch_'), mode: 'test' as const };
  let connection: RunnerConnection;
  let deps: PaymentIntentDeps;

  beforeAll(async () => {
    const asl = readFileSync(
      new URL(`../../${stateMachines.paymentIntentCapture.file}`, import.meta.url),
      'utf8',
    );
    lambda.register('paymentIntentCapture', {
      memoryMb: functions.paymentIntentCapture.memoryMb,
      timeoutSeconds: functions.paymentIntentCapture.timeoutSeconds,
      load: async () => async (event: unknown) => {
        const task = PaymentIntentCaptureTask.parse(event);
        const mode = task.mode === 'live' ? 'live' : 'test';
        return {
          outcome: await expireAuthorization({ merchantId: task.merchantId, mode }, task.intentId, deps),
        };
      },
    });
    connection = await connectRunner(stepFunctions, stepFunctions.register('paymentIntentCapture', asl));
    deps = {
      intents,
      provider,
      customers: new FakeIntentCustomers(),
      merchants: { get: async () => undefined },
      captureWindow: connection.workflows,
      currencies: CurrencyPolicy.fromList('USD'),
      ids: sequentialIds(),
      clock: { now: () => new Date() },
      captureWindowSeconds: WINDOW_SECONDS,
      ledger: {
        balances,
        fees: {
          tiers: parseFeeTiers(DEFAULT_FEE_TIERS),
          processing: parseProcessingFee(DEFAULT_PROCESSING_FEE),
        },
        settlementDelaySeconds: 172_800,
        ids: sequentialIds(),
      },
    };
  });

  afterAll(() => connection.close());

  async function authorize(key: string): Promise<PaymentIntent> {
    return createPaymentIntent(
      {
        tenant,
        idempotencyKey: key,
        amount: 2_500,
        currency: 'USD',
        captureMethod: 'manual',
        paymentMethodId: 'pm_card_visa',
        confirm: true,
      },
      deps,
    );
  }

  async function finished(intentId: string) {
    const execution = stepFunctions.findExecution(intentId);
    if (execution === undefined) throw new Error(`no execution named ${intentId}`);
    const done = await stepFunctions.waitForCompletion(execution.arn, 15_000);
    return stepFunctions.summary(done).statePath;
  }

  it('cancels an authorization left uncaptured at capture_before (automatic), released at the processor', async () => {
    // Arrange
    const intent = await authorize(unique('window-'));
    expect(intent.status).toBe('requires_capture');

    // Act
    const statePath = await finished(intent.intentId);

    // Assert
    expect(statePath).toEqual(['WaitUntilCaptureBefore', 'CancelIfUncaptured']);
    expect(await intents.get(tenant, intent.intentId)).toMatchObject({
      status: 'canceled',
      cancellationReason: 'automatic',
      amountCapturable: 0,
    });
    expect(
      provider.calls.filter(
        (call) => call.method === 'cancelPayment' && call.paymentId === intent.providerPaymentId,
      ),
    ).toHaveLength(1);
  });

  it('leaves an intent captured within the window as it is: the task is a no-op', async () => {
    // Arrange
    const intent = await authorize(unique('window-'));
    await capturePaymentIntent({ tenant, intentId: intent.intentId, amountToCapture: 1_000 }, deps);

    // Act
    await finished(intent.intentId);

    // Assert
    expect(await intents.get(tenant, intent.intentId)).toMatchObject({
      status: 'succeeded',
      amountReceived: 1_000,
      cancellationReason: null,
    });
    expect(
      provider.calls.filter(
        (call) => call.method === 'cancelPayment' && call.paymentId === intent.providerPaymentId,
      ),
    ).toHaveLength(0);
  });

  it("posts a capture with its state: the merchant's pending + fees = what was captured, once under a twin", async () => {
    // Arrange
    const merchant = { merchantId: unique('mch_'), mode: 'test' as const };
    const intent = await createPaymentIntent(
      {
        tenant: merchant,
        idempotencyKey: unique('capture-'),
        amount: 10_000,
        currency: 'USD',
        captureMethod: 'manual',
        paymentMethodId: 'pm_card_visa',
        confirm: true,
      },
      deps,
    );

    // Act: two concurrent captures of 6000
    const command = { tenant: merchant, intentId: intent.intentId, amountToCapture: 6_000 };
    const [a, b] = await Promise.all([
      capturePaymentIntent(command, deps),
      capturePaymentIntent(command, deps),
    ]);

    // Assert: 820 bps of 6000 = 492; 290 bps of 6000 + 30 = 204
    expect(a).toEqual(b);
    expect(a).toMatchObject({ status: 'succeeded', fees: { platform: 492, processing: 204 } });
    const held = await balances.accounts(merchant.merchantId, 'test');
    expect(held.map((account) => [account.kind, available(account)])).toEqual([
      ['merchant_pending', 6_000 - 492 - 204],
    ]);
    const { transactions } = await balances.transactions({ ...merchant, limit: 10 });
    expect(transactions).toEqual([
      expect.objectContaining({
        kind: 'charge',
        source: intent.intentId,
        amount: 6_000,
        fee: 696,
        net: 5_304,
      }),
    ]);
    expect(await ledgerProblems(client, TABLE_NAME)).toEqual([]);
  });
});
