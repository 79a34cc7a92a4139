/**
 * Webhook endpoints' signing secrets (Standard Webhooks: `whsec_` + base64 of random bytes), sealed with the
 * service key in a KMS envelope whose context names the endpoint, so a sealed secret copied onto another
 * endpoint does not open there. The registration seals (key:encrypt); only the delivery opens (key:decrypt).
 */
import { randomBytes } from 'node:crypto';
import type { WebhookEndpoint } from '../../domain/webhook-events.js';
import type { KmsEnvelope } from './envelope.js';

/** 32 bytes: within Standard Webhooks' 24 to 64. */
const SECRET_BYTES = 32;

type EndpointRef = Pick<WebhookEndpoint, 'id' | 'merchantId' | 'mode'>;

export class KmsWebhookSecrets {
  constructor(private readonly envelope: Pick<KmsEnvelope, 'encrypt' | 'decrypt'>) {}

  generate(): string {
    return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
  }

  seal(secret: string, endpoint: EndpointRef): Promise<string> {
    return this.envelope.encrypt(secret, contextOf(endpoint));
  }

  open(sealed: string, endpoint: EndpointRef): Promise<string> {
    return this.envelope.decrypt(sealed, contextOf(endpoint));
  }
}

function contextOf(endpoint: EndpointRef): Record<string, string> {
  return {
    purpose: 'webhook-secret',
    merchantId: endpoint.merchantId,
    mode: endpoint.mode,
    endpointId: endpoint.id,
  };
}
