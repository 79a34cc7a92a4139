/** `POST /api/v1/webhooks/stripe`: verify Stripe's signature, queue the event, answer at once. */
import { ingestWebhook } from '../../shared/app/webhooks/ingest.js';
import { httpHandler } from '../../shared/composition/http.js';
import { stripeProvider, webhookQueue } from './context.js';

const deps = { verifier: await stripeProvider(), queue: webhookQueue() };

export const handler = httpHandler({}, async (request) => {
  await ingestWebhook(request.rawBody(), request.headers, deps);
  return { status: 200, body: { received: true } };
});
