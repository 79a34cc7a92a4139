/**
 * Standard Webhooks signatures through the `standardwebhooks` library, the one a receiver verifies with:
 * `webhook-id` (the event id, the same on every attempt so a receiver can drop a repeat),
 * `webhook-timestamp` (epoch seconds of this attempt) and `webhook-signature: v1,<base64 HMAC-SHA256>` over
 * `id.timestamp.body` with the endpoint's `whsec_…` secret.
 */
import { Webhook } from 'standardwebhooks';
import type { WebhookSigner } from '../../app/webhook-delivery/ports.js';

export const standardWebhookSigner: WebhookSigner = {
  sign(secret: string, messageId: string, timestamp: Date, body: string): Record<string, string> {
    return {
      'webhook-id': messageId,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(messageId, timestamp, body),
    };
  },
};
