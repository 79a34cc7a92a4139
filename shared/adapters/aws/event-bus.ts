/**
 * The event bus on EventBridge: PutEvents, ten entries a call (the API's limit), source `tween.payments`, the
 * detail-type and the detail as JSON, and the event time taken from the detail's `occurredAt`.
 */
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandOutput,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { BusRejection, EventBus, OutgoingEvent } from '../../app/relay-outbox.js';
import { EVENT_SOURCE } from '../../infra/events.js';

/** PutEvents takes at most ten entries a call. */
const ENTRIES_PER_CALL = 10;

export class EventBridgeEventBus implements EventBus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  async put(events: readonly OutgoingEvent[]): Promise<BusRejection[]> {
    for (let start = 0; start < events.length; start += ENTRIES_PER_CALL) {
      const chunk = events.slice(start, start + ENTRIES_PER_CALL);
      const answer = await this.client.send(
        new PutEventsCommand({ Entries: chunk.map((event) => this.#entry(event)) }),
      );
      const rejected = rejectionsIn(answer, chunk.length, start);
      if (rejected.length > 0) {
        // The later events stay behind the rejected ones: reported as not taken, they are retried after them.
        const notSent = events.slice(start + chunk.length).map((_, offset) => ({
          index: start + chunk.length + offset,
          reason: 'Not sent: an earlier event was rejected',
        }));
        return [...rejected, ...notSent];
      }
    }
    return [];
  }

  #entry(event: OutgoingEvent): PutEventsRequestEntry {
    const occurredAt = event.detail.occurredAt;
    return {
      EventBusName: this.eventBusName,
      Source: EVENT_SOURCE,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      ...(typeof occurredAt === 'string' ? { Time: new Date(occurredAt) } : {}),
    };
  }
}

/**
 * The entries of one call the bus did not take: those with an error code or without an event id. A failed count
 * the entries do not account for (a contradictory answer) counts the whole call as not taken.
 */
function rejectionsIn(answer: PutEventsCommandOutput, size: number, start: number): BusRejection[] {
  const rejected: BusRejection[] = [];
  for (let offset = 0; offset < size; offset += 1) {
    const result = answer.Entries?.[offset];
    if (result?.ErrorCode !== undefined) {
      rejected.push({
        index: start + offset,
        reason: `${result.ErrorCode}: ${result.ErrorMessage ?? 'no message'}`,
      });
    } else if (result?.EventId === undefined) {
      rejected.push({ index: start + offset, reason: 'The bus returned no event id for the entry' });
    }
  }
  if (rejected.length > 0 || (answer.FailedEntryCount ?? 0) === 0) return rejected;
  return Array.from({ length: size }, (_, offset) => ({
    index: start + offset,
    reason: `The bus reported ${answer.FailedEntryCount} failed entries without naming them`,
  }));
}
