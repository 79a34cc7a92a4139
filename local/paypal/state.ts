/**
 * Everything the server knows, in memory: the tokens it issued, orders, captures and refunds by id, the
 * answers kept per PayPal-Request-Id, the events it emitted and the deliveries in flight, and the
 * simulated outage. Each handler module is given this one object.
 */
import { randomUUID } from 'node:crypto';
import { resourceNotFound } from './errors.js';
import type { Json } from './http-io.js';
import { SigningKey } from './signing.js';

export interface PayPalServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  clientId: string;
  clientSecret: string;
  /** The id of the one webhook subscription: events are signed for it and verified against it. */
  webhookId: string;
  /** Where events are POSTed; without it they are only recorded. */
  webhookUrl?: string;
  onRequest?: () => void;
}

/**
 * A simulated trouble at PayPal (`PUT /local/paypal/outage`): `unavailable` answers every API request 503;
 * `lose_answers` creates each order asked for and then drops the connection before answering, as when our
 * side crashes or times out right after PayPal acted (other requests are answered, so that only the
 * creates a test makes are lost, not the work the stack does meanwhile).
 */
export const PAYPAL_OUTAGES = ['none', 'unavailable', 'lose_answers'] as const;
export type PayPalOutage = (typeof PAYPAL_OUTAGES)[number];

export interface Order {
  id: string;
  status: 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED';
  currency: string;
  value: string;
  description?: string;
  customId?: string;
  /** Set by the control route: the payer's funding is refused at capture. */
  declineOnCapture: boolean;
  capture?: Capture;
  createTime: string;
  updateTime: string;
}

export interface Capture {
  id: string;
  orderId: string;
  status: 'COMPLETED' | 'DECLINED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
  value: string;
  refunded: number;
}

export interface RecordedEvent {
  id: string;
  event_type: string;
  orderId: string;
  body: string;
}

/** An answer: its status and JSON body. */
export interface Reply {
  status: number;
  body: Json;
}

const CERT_ID = 'CERT-tween-local';

export class PayPalState {
  baseUrl = '';
  readonly key = new SigningKey();
  readonly tokens = new Set<string>();
  readonly orders = new Map<string, Order>();
  readonly captures = new Map<string, Capture>();
  readonly refunds = new Map<string, Json>();
  readonly replies = new Map<string, Reply>();
  readonly events: RecordedEvent[] = [];
  readonly deliveries = new Set<Promise<void>>();
  closed = false;
  outage: PayPalOutage = 'none';

  constructor(readonly options: PayPalServerOptions) {}

  order(id: string): Order {
    const order = this.orders.get(id);
    if (order === undefined) throw resourceNotFound();
    return order;
  }

  /** Where the public key webhooks are signed with is served. */
  certUrl(): string {
    return `${this.baseUrl}/v1/notifications/certs/${CERT_ID}`;
  }
}

/** PayPal's shape: 17 upper-case letters and digits (`5O190127TN364715T`). */
export function newId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 17).toUpperCase();
}
