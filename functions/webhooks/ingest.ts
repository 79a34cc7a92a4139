/** `POST /api/v1/webhooks/stripe`: verify Stripe's signature, queue the event, answer at once. */
import { ingestWebhook } from '../../shared/app/webhooks/ingest.js';
import { bareStripe } from '../../shared/composition/stripe.js';
import { webhookQueue } from '../../shared/composition/webhooks.js';
import { plainHttpHandler } from '../../shared/http/plain-handler.js';

const deps = { queue: webhookQueue() };

// Stripe's signature check is local (no network): its keys come from the app secrets, read on first delivery.
export const handler = plainHttpHandler({}, async (request) => {
  await ingestWebhook(request.rawBody(), request.headers, {
    ...deps,
    verifier: await bareStripe(),
  });
  return { status: 200, body: { received: true } };
});
