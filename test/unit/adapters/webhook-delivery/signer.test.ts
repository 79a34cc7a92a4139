/**
 * The delivery signer (shared/adapters/webhook-delivery/signer.ts): what it signs, a receiver verifies with
 * the `standardwebhooks` library's own Webhook.verify; a changed body, id, timestamp or secret does not.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { standardWebhookSigner } from '../../../../shared/adapters/webhook-delivery/signer.js';

const secret = `whsec_${randomBytes(24).toString('base64')}`;
const body = JSON.stringify({ id: 'evt_1', type: 'refund.created', data: { object: { id: 're_1' } } });

describe('Module: webhook signer', () => {
  it('signs per Standard Webhooks: the event id, the epoch-seconds timestamp and a v1 signature', () => {
    const now = new Date();
    const headers = standardWebhookSigner.sign(secret, 'evt_1', now, body);

    expect(headers['webhook-id']).toBe('evt_1');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('is refused by the verifier when the body, the id, the timestamp or the secret differ', () => {
    const headers = standardWebhookSigner.sign(secret, 'evt_1', new Date(), body);
    const verifier = new Webhook(secret);

    expect(() => verifier.verify(`${body} `, headers)).toThrow();
    expect(() => verifier.verify(body, { ...headers, 'webhook-id': 'evt_2' })).toThrow();
    expect(() =>
      verifier.verify(body, {
        ...headers,
        'webhook-timestamp': String(Number(headers['webhook-timestamp']) + 1),
      }),
    ).toThrow();
    expect(() => new Webhook(`whsec_${randomBytes(24).toString('base64')}`).verify(body, headers)).toThrow();
  });

  it('is refused as a replay once its timestamp is older than the verifier tolerates', () => {
    const headers = standardWebhookSigner.sign(secret, 'evt_1', new Date(Date.now() - 3_600_000), body);
    expect(() => new Webhook(secret).verify(body, headers)).toThrow();
  });
});
