/** `POST /api/v1/webhooks/paypal`: have PayPal verify the transmission, queue the event, answer at once. */
import { ingestWebhook } from '../../shared/app/webhooks/ingest.js';
import { barePayPal } from '../../shared/composition/paypal.js';
import { webhookQueue } from '../../shared/composition/webhooks.js';
import { plainHttpHandler } from '../../shared/http/plain-handler.js';

const deps = { queue: webhookQueue() };

// PayPal is optional per deployment: its credentials are looked up on the first delivery, not at cold start.
export const handler = plainHttpHandler({}, async (request) => {
  await ingestWebhook(request.rawBody(), request.headers, {
    ...deps,
    verifier: await barePayPal(),
  });
  return { status: 200, body: { received: true } };
});
