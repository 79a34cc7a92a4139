/**
 * Turns the local stack's resource counters into dollars per million operations, with the list prices of
 * `prices.ts`. Pure: no I/O, no clock.
 */
import type { CounterName, ResourceCounters } from '../local/metrics.js';
import { type PriceKey, type PriceTable, prices, unitPrice } from './prices.js';

export interface BilledResource {
  price: PriceKey;
  counter: CounterName;
  label: string;
  /** Set when the local figure is only an approximation of what AWS would bill. */
  estimate?: string;
}

/** Which counter each AWS price applies to, in report order. */
export const billedResources: readonly BilledResource[] = [
  { price: 'httpApiRequests', counter: 'apiRequests', label: 'API Gateway HTTP API requests' },
  { price: 'lambdaRequests', counter: 'lambdaInvocations', label: 'Lambda requests' },
  {
    price: 'lambdaArmGbSeconds',
    counter: 'lambdaGbSeconds',
    label: 'Lambda duration, arm64',
    estimate:
      'Lambda duration is measured in this Node.js process on the development machine (billed-ms rounding, configured memory), not on Graviton: an estimate.',
  },
  {
    price: 'stepFunctionsStandardTransitions',
    counter: 'stateTransitions',
    label: 'Step Functions state transitions',
  },
  { price: 'dynamoDbWriteRequestUnits', counter: 'dynamoWriteUnits', label: 'DynamoDB write request units' },
  { price: 'dynamoDbReadRequestUnits', counter: 'dynamoReadUnits', label: 'DynamoDB read request units' },
  { price: 'eventBridgeCustomEvents', counter: 'eventsPut', label: 'EventBridge custom events' },
  { price: 'sqsFifoRequests', counter: 'sqsRequests', label: 'SQS requests (FIFO price)' },
  { price: 'kmsRequests', counter: 'kmsCalls', label: 'KMS requests' },
];

/** Counters that carry no price of their own, and why. */
export const unpricedCounters: Readonly<Partial<Record<CounterName, string>>> = {
  lambdaDurationMs: 'billed through lambdaGbSeconds',
  executionsStarted: 'Standard workflows bill their state transitions, not the start',
  dynamoRequests: 'on-demand bills request units, not calls; control-plane calls (DescribeTable) are free',
  dynamoTransactionsCancelled: 'a cancelled transaction is billed through the write units it consumed',
  stripeRequests: 'Stripe fees are not AWS costs',
  paypalRequests: 'PayPal fees are not AWS costs',
  matrixRequests: 'the Matrix homeserver is not an AWS cost',
};

/** What the cost model assumes, printed under every report. */
export const costNotes: readonly string[] = [
  'Prices: AWS list prices in us-east-1, on-demand, first tier, without free tiers or savings plans (bench/prices.ts gives each source and the date it was checked).',
  'Lambda duration is measured in this Node.js process on the development machine, not on Graviton: the duration line is an estimate.',
  'Step Functions Standard bills every state transition, retries included; the stateTransitions counter counts retries too.',
  'DynamoDB units are what DynamoDB Local reports through ReturnConsumedCapacity; transactions, which it misreports, are priced from their items (2 units per item per started KB, as AWS bills them).',
  'SQS: every request is priced at the FIFO rate (the webhook queues are FIFO), an upper bound for calls that are not FIFO message operations; each 64 KB chunk of a payload is one request.',
  'KMS: the counter counts every KMS API call, DescribeKey included, and each is priced as a request.',
  'Fixed or size-driven costs are not modelled: the $1 a month per KMS key, storage, logs, data transfer. Counters that move with no load (queue pollers) are shown under the idle background.',
];

export interface CostLine extends BilledResource {
  /** Counter total over the run. */
  quantity: number;
  /** Counter per operation. */
  perOperation: number;
  /** Dollars per one million operations. */
  usdPerMillionOps: number;
}

export interface CostBreakdown {
  operations: number;
  lines: CostLine[];
  totalUsdPerMillionOps: number;
}

export class InvalidOperationCountError extends RangeError {
  override readonly name = 'InvalidOperationCountError';

  constructor(operations: number) {
    super(
      `operations must be a positive integer, got ${operations}: a run with no operations has no cost per operation`,
    );
  }
}

function assertOperations(operations: number): void {
  if (!Number.isInteger(operations) || operations <= 0) throw new InvalidOperationCountError(operations);
}

/** Every counter divided by the number of operations. */
export function perOperation(counters: ResourceCounters, operations: number): ResourceCounters {
  assertOperations(operations);
  return Object.fromEntries(
    Object.entries(counters).map(([name, value]) => [name, value / operations]),
  ) as unknown as ResourceCounters;
}

/**
 * Dollars per million operations, per billed resource and in total, for a run of `operations` operations
 * that left `counters`. Throws InvalidOperationCountError unless `operations` is a positive integer, and a
 * RangeError on a negative or non-finite counter.
 */
export function costPerMillionOperations(
  counters: ResourceCounters,
  operations: number,
  table: PriceTable = prices,
): CostBreakdown {
  assertOperations(operations);
  const lines = billedResources.map((resource): CostLine => {
    const quantity = counters[resource.counter];
    if (!Number.isFinite(quantity) || quantity < 0) {
      throw new RangeError(
        `counter ${resource.counter} must be a finite, non-negative number, got ${quantity}`,
      );
    }
    const each = quantity / operations;
    return {
      ...resource,
      quantity,
      perOperation: each,
      usdPerMillionOps: each * 1_000_000 * unitPrice(table[resource.price]),
    };
  });
  return {
    operations,
    lines,
    totalUsdPerMillionOps: lines.reduce((sum, line) => sum + line.usdPerMillionOps, 0),
  };
}
