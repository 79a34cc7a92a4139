/** `POST /api/v1/webhooks/paypal`: have PayPal verify the transmission, queue the event, answer at once. */
import { ingestWebhook } from '../../shared/app/webhooks/ingest.js';
import { httpHandler } from '../../shared/composition/http.js';
import { paypalProvider, webhookQueue } from './context.js';

// PayPal is optional per deployment: its credentials are looked up on the first delivery, not at cold start.
export const handler = httpHandler({}, async (request) => {
  const deps = { verifier: await paypalProvider(), queue: webhookQueue() };
  await ingestWebhook(request.rawBody(), request.headers, deps);
  return { status: 200, body: { received: true } };
});
