import { type DomainEventType, parseDomainEvent } from '../domain/events.js';

/**
 * The relay of the transactional outbox: domain events written in the same transaction as their state change
 * (shared/adapters/dynamodb/outbox.ts) are put on the event bus by the table stream's consumer.
 */

/** An outbox item as the stream delivered it: its detail-type and detail, or why it could not be read. */
export type OutboxRecord = { detailType: string; detail: unknown } | { unreadable: Error };

/** A checked domain event on its way to the bus, with the detail exactly as the emitter wrote it. */
export interface OutgoingEvent {
  detailType: DomainEventType;
  detail: Readonly<Record<string, unknown>>;
}

/** Why the bus did not take one event. */
export interface BusRejection {
  index: number;
  reason: string;
}

/** The event bus the domain events go out on. */
export interface EventBus {
  /**
   * Puts the events in order (in as many calls as the bus needs) and returns those it did not take. It stops
   * at the first call the bus did not take whole: the events after it are returned as not taken, so that they
   * are retried behind the rejected one, never ahead of it. Throws when the bus could not be reached.
   */
  put(events: readonly OutgoingEvent[]): Promise<BusRejection[]>;
}

export interface RelayOutcome {
  /** Records put on the bus: the ones before the first failure. */
  relayed: number;
  /** The records to retry, by index: the first that failed and every one after it, in order. */
  failed: number[];
  /** Why the first of them failed. */
  cause?: { index: number; error: Error };
}

/** A bus answer that did not take an event. */
export class EventRejectedError extends Error {
  override readonly name = 'EventRejectedError';
}

/**
 * 1. Check each record against the schema of its detail-type; the first one that is unreadable, of an unknown
 *    type or breaks its schema stops the run: it fails, and so does every record after it.
 * 2. Put the records before it on the bus, in order.
 * 3. The first record the bus did not take fails too, with every record after it.
 * A failed record is never dropped: the stream hands it back (from the first failed record, so the order of
 * the events is kept) until its retries run out, and then reports it to the dead-letter queue.
 */
export async function relayOutbox(records: readonly OutboxRecord[], bus: EventBus): Promise<RelayOutcome> {
  const events: OutgoingEvent[] = [];
  let invalid: { index: number; error: Error } | undefined;
  for (const [index, record] of records.entries()) {
    const checked = check(record);
    if (checked instanceof Error) {
      invalid = { index, error: checked };
      break;
    }
    events.push(checked);
  }

  const rejections = events.length === 0 ? [] : await bus.put(events);
  const firstRejection = rejections.reduce<BusRejection | undefined>(
    (first, rejection) => (first === undefined || rejection.index < first.index ? rejection : first),
    undefined,
  );
  const cause =
    firstRejection === undefined
      ? invalid
      : { index: firstRejection.index, error: new EventRejectedError(firstRejection.reason) };
  if (cause === undefined) return { relayed: records.length, failed: [] };
  return {
    relayed: cause.index,
    failed: records.map((_, index) => index).filter((index) => index >= cause.index),
    cause,
  };
}

function check(record: OutboxRecord): OutgoingEvent | Error {
  if ('unreadable' in record) return record.unreadable;
  try {
    const event = parseDomainEvent(record.detailType, record.detail);
    // Relay the detail as written: consumers ignore fields they do not know, the schema would strip them.
    return { detailType: event.type, detail: record.detail as Readonly<Record<string, unknown>> };
  } catch (error) {
    // Not swallowed: the error becomes the record's failure, which the caller reports and the stream retries.
    if (error instanceof Error) return error;
    throw error;
  }
}
