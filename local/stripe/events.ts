/**
 * The Events this server emits, oldest first, each with how its webhook delivery went. An event captures
 * its object as it was at that moment, as Stripe's `data.object` does.
 */
import { noSuchObject } from './errors.js';
import type { FormParams } from './form.js';
import { newId } from './ids.js';
import {
  type EventDataObject,
  type EventObject,
  type EventType,
  STRIPE_API_VERSION,
  unixNow,
} from './objects.js';
import { rejectUnknownParams } from './params.js';
import type { ApiContext, RequestRef } from './state.js';
import type { DeliveryStatus, WebhookSender } from './webhooks.js';

export interface EventRecord {
  event: EventObject;
  delivery: DeliveryStatus;
}

export class EventLog {
  readonly #records: EventRecord[] = [];
  readonly #byId = new Map<string, EventRecord>();
  readonly #sender: WebhookSender | undefined;

  readonly #lost: () => boolean;

  /**
   * Without a sender (no `webhookUrl`), events are only recorded. `lost` says whether an event's delivery is
   * to be lost (the flaky mode): it is recorded as failed, and never sent.
   */
  constructor(sender: WebhookSender | undefined, lost: () => boolean = () => false) {
    this.#sender = sender;
    this.#lost = lost;
  }

  /** `account`: a Connect event's connected account (its object lives there). */
  emit(type: EventType, object: EventDataObject, request: RequestRef, account?: string): EventObject {
    const event: EventObject = {
      id: newId('evt'),
      ...(account === undefined ? {} : { account }),
      object: 'event',
      api_version: STRIPE_API_VERSION,
      created: unixNow(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: this.#sender === undefined ? 0 : 1,
      request: { ...request },
      type,
    };
    const record: EventRecord = {
      event,
      delivery: { state: this.#sender === undefined ? 'no_endpoint' : 'pending', attempts: [] },
    };
    this.#records.push(record);
    this.#byId.set(event.id, record);
    if (this.#sender !== undefined && this.#lost()) {
      record.delivery.state = 'failed';
      record.delivery.attempts.push({
        at: new Date().toISOString(),
        status_code: null,
        error: 'lost (flaky mode)',
      });
      return event;
    }
    // Stripe's webhook bodies are pretty-printed JSON; the signature covers these exact bytes.
    this.#sender?.deliver(JSON.stringify(event, null, 2), record.delivery);
    return event;
  }

  list(): readonly EventRecord[] {
    return this.#records;
  }

  find(id: string): EventRecord | undefined {
    return this.#byId.get(id);
  }

  async close(): Promise<void> {
    await this.#sender?.close();
  }
}

/** `GET /v1/events/:id` */
export function retrieveEvent(ctx: ApiContext, params: FormParams, id: string): EventObject {
  rejectUnknownParams(params, ['expand']);
  const record = ctx.events.find(id);
  if (record === undefined) throw noSuchObject('event', id, 'id', 404);
  return record.event;
}
