/**
 * What AWS would bill for, counted while the local stack runs. `GET /local/metrics` reads it,
 * `DELETE /local/metrics` resets it, and the cost benchmark turns a run into dollars.
 */
export interface ResourceCounters {
  lambdaInvocations: number;
  lambdaDurationMs: number;
  /** GB-seconds, using each function's configured memory. */
  lambdaGbSeconds: number;
  stateTransitions: number;
  executionsStarted: number;
  dynamoReadUnits: number;
  dynamoWriteUnits: number;
  dynamoRequests: number;
  /** TransactWriteItems refused as a whole (a condition failed or a conflict): each one a retried or refused change. */
  dynamoTransactionsCancelled: number;
  eventsPut: number;
  sqsRequests: number;
  kmsCalls: number;
  stripeRequests: number;
  paypalRequests: number;
  matrixRequests: number;
  apiRequests: number;
}

export type CounterName = keyof ResourceCounters;

/** Every counter at zero: a fresh window, and the base for test fixtures. */
export function zeroCounters(): ResourceCounters {
  return {
    lambdaInvocations: 0,
    lambdaDurationMs: 0,
    lambdaGbSeconds: 0,
    stateTransitions: 0,
    executionsStarted: 0,
    dynamoReadUnits: 0,
    dynamoWriteUnits: 0,
    dynamoRequests: 0,
    dynamoTransactionsCancelled: 0,
    eventsPut: 0,
    sqsRequests: 0,
    kmsCalls: 0,
    stripeRequests: 0,
    paypalRequests: 0,
    matrixRequests: 0,
    apiRequests: 0,
  };
}

export class Counters {
  #values = zeroCounters();

  add(name: CounterName, amount = 1): void {
    this.#values[name] += amount;
  }

  snapshot(): ResourceCounters {
    return { ...this.#values };
  }

  reset(): void {
    this.#values = zeroCounters();
  }
}
