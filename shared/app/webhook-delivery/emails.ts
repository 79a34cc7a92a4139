/** The email an owner gets when one of its webhook endpoints is disabled after failing for 5 days. */
import type { Merchant } from '../../domain/merchant.js';
import type { WebhookEndpoint } from '../../domain/webhook-events.js';
import { message } from '../merchants/emails.js';
import type { EmailMessage } from '../merchants/ports.js';

export function endpointDisabledEmail(merchant: Merchant, endpoint: WebhookEndpoint): EmailMessage {
  return message(merchant.email, `A webhook endpoint of ${merchant.name} was disabled`, [
    `Tween disabled the ${endpoint.mode}-mode webhook endpoint ${endpoint.id} (${endpoint.url}): its deliveries have failed since ${endpoint.failingSince ?? 'several days'} with no success.`,
    'Events are no longer sent to it. Fix the receiver, then enable the endpoint again in the dashboard or with POST /v1/webhook_endpoints/{id}; events it missed can be resent with POST /v1/events/{id}/resend.',
  ]);
}
