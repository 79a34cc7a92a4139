/**
 * The local event bus: PutEvents and DescribeEventBus over the AWS JSON protocol, rules from the same
 * module CDK deploys, and asynchronous delivery to the target functions with retries (as EventBridge
 * invokes Lambda targets asynchronously). A delivery that fails every attempt is kept as a dead letter (on
 * AWS: the target function's dead-letter queue) until `redrive` delivers it again, as ops redrive a
 * dead-letter queue once the cause is gone.
 */
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import type { RuleDefinition } from '../../shared/infra/events.js';
import type { QueueKey } from '../../shared/infra/queues.js';
import { recordOf } from '../../shared/json.js';
import { AwsServiceError } from '../aws-json.js';
import type { LocalLambda } from '../lambda.js';
import type { Counters } from '../metrics.js';
import { matchesPattern } from './pattern.js';

export interface BusEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string | Record<string, unknown>;
  EventBusName?: string;
  Resources?: string[];
  Time?: string | number;
}

export interface Delivery {
  eventId: string;
  rule: string;
  target: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
}

/** An event whose delivery to one target failed every attempt. */
export interface DeadLetter {
  event: EventBridgeEvent<string, unknown>;
  delivery: Delivery;
}

/** Sends an event to a queue, for the rules whose target is a queue (the message body is the event). */
export type Enqueue = (queue: QueueKey, event: EventBridgeEvent<string, unknown>) => Promise<void>;

const RECENT_LIMIT = 1_000;
const RETRY_DELAYS_MS = [100, 500, 2_000];

export class LocalEventBus {
  readonly arn: string;
  readonly #recent: EventBridgeEvent<string, unknown>[] = [];
  readonly #deliveries: Delivery[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  /** Not capped like the views above: a dead letter is only ever dropped by being delivered. */
  readonly #deadLetters: DeadLetter[] = [];
  #closed = false;

  constructor(
    readonly name: string,
    private readonly rules: readonly RuleDefinition[],
    private readonly lambda: LocalLambda,
    private readonly counters: Counters,
    private readonly enqueue: Enqueue = async () => {
      throw new Error('No queue targets on this bus');
    },
    private readonly region = 'us-east-1',
    private readonly account = '000000000000',
  ) {
    this.arn = `arn:aws:events:${region}:${account}:event-bus/${name}`;
    for (const rule of rules) matchesPattern(rule.pattern, {}); // an unsupported operator fails at startup
  }

  /** The AWS JSON service: `AWSEvents.<Operation>`. */
  readonly service = async (operation: string, request: Record<string, unknown>): Promise<unknown> => {
    switch (operation) {
      case 'PutEvents':
        return this.putEvents((request.Entries ?? []) as BusEntry[]);
      case 'DescribeEventBus':
        return this.#describe(request.Name);
      default:
        throw new AwsServiceError(
          'UnknownOperationException',
          `EventBridge ${operation} is not available locally`,
        );
    }
  };

  putEvents(entries: readonly BusEntry[]): {
    FailedEntryCount: number;
    Entries: { EventId?: string; ErrorCode?: string }[];
  } {
    let failed = 0;
    const results = entries.map((entry) => {
      if (!entry.Source || !entry.DetailType || entry.Detail === undefined) {
        failed += 1;
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required' };
      }
      if (
        entry.EventBusName !== undefined &&
        entry.EventBusName !== this.name &&
        entry.EventBusName !== this.arn
      ) {
        failed += 1;
        return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `No event bus ${entry.EventBusName}` };
      }
      const detail = detailOf(entry.Detail);
      if (detail === undefined) {
        failed += 1;
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail must be a JSON object' };
      }
      const event = this.#toEvent(entry, detail);
      this.counters.add('eventsPut');
      this.#remember(event);
      this.#route(event);
      return { EventId: event.id };
    });
    return { FailedEntryCount: failed, Entries: results };
  }

  recentEvents(): readonly EventBridgeEvent<string, unknown>[] {
    return this.#recent;
  }

  deliveries(): readonly Delivery[] {
    return this.#deliveries;
  }

  deadLetters(): readonly DeadLetter[] {
    return this.#deadLetters;
  }

  /** Delivers every dead letter again, each with a fresh round of retries; returns how many. */
  redrive(): number {
    const letters = this.#deadLetters.splice(0);
    for (const { event, delivery } of letters) {
      delivery.status = 'pending';
      this.#start(event, delivery);
    }
    return letters.length;
  }

  /** Waits for the deliveries under way, then accepts no more. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#inFlight]);
  }

  #describe(name: unknown): unknown {
    if (name !== undefined && name !== this.name && name !== this.arn) {
      throw new AwsServiceError('ResourceNotFoundException', `Event bus ${String(name)} does not exist.`);
    }
    return { Name: this.name, Arn: this.arn };
  }

  #toEvent(entry: BusEntry, detail: Record<string, unknown>): EventBridgeEvent<string, unknown> {
    const time =
      entry.Time === undefined
        ? new Date()
        : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType ?? '',
      source: entry.Source ?? '',
      account: this.account,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.region,
      resources: entry.Resources ?? [],
      detail,
    };
  }

  #remember(event: EventBridgeEvent<string, unknown>): void {
    this.#recent.push(event);
    if (this.#recent.length > RECENT_LIMIT) this.#recent.shift();
  }

  #route(event: EventBridgeEvent<string, unknown>): void {
    for (const rule of this.rules) {
      if (this.#closed || !matchesPattern(rule.pattern, event)) continue;
      const delivery: Delivery = {
        eventId: event.id,
        rule: rule.name,
        target: rule.target,
        status: 'pending',
        attempts: 0,
      };
      this.#deliveries.push(delivery);
      if (this.#deliveries.length > RECENT_LIMIT) this.#deliveries.shift();
      this.#start(event, delivery);
    }
  }

  #start(event: EventBridgeEvent<string, unknown>, delivery: Delivery): void {
    const running = this.#deliver(event, delivery).finally(() => this.#inFlight.delete(running));
    this.#inFlight.add(running);
  }

  async #deliver(event: EventBridgeEvent<string, unknown>, delivery: Delivery): Promise<void> {
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt += 1) {
      delivery.attempts += 1;
      try {
        const queue = this.rules.find((rule) => rule.name === delivery.rule)?.queue;
        if (queue === undefined) await this.lambda.invoke(delivery.target, event);
        else await this.enqueue(queue, event);
        delivery.status = 'delivered';
        return;
      } catch {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined || this.#closed) break;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    delivery.status = 'failed';
    this.#deadLetters.push({ event, delivery });
  }
}

function detailOf(detail: BusEntry['Detail']): Record<string, unknown> | undefined {
  let value: unknown = detail;
  if (typeof detail === 'string') {
    try {
      value = JSON.parse(detail);
    } catch {
      return undefined;
    }
  }
  return recordOf(value);
}
