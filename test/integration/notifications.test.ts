/**
 * Notifications over HTTP against the local stack: a PaymentIntent that succeeds emails its customer a
 * receipt (SES, `/local/emails`) listed at `GET /v1/notifications`; a failed payment texts the customer's
 * phone (SNS, `/local/sms`); a payout event put on the bus (payouts emit it; here the test puts it) reaches
 * the owner by email, SMS and push to a registered device (`/local/push`).
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDbMerchants } from '../../shared/adapters/dynamodb/merchants.js';
import { EVENT_SOURCE, eventBusDefinition } from '../../shared/infra/events.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { call, endpoint, tokenFor } from '../support/api.js';
import { merchant } from '../support/fakes/merchants.js';
import { localDocumentClient } from '../support/ledger.js';
import { newShop, withKey } from '../support/merchant-shops.js';
import { waitFor } from '../support/stack.js';

type Json = Record<string, unknown>;
interface Sent {
  to: string;
  text: string;
  title?: string;
}

const list = <T>(path: string) => call<{ data: T[] }>('GET', path).then((answer) => answer.body.data);

async function newCustomer(secret: string, body: Json): Promise<string> {
  const created = await call<{ id: string }>('POST', '/v1/customers', withKey(secret, body));
  expect(created.status).toBe(201);
  return created.body.id;
}

function notificationsOf(secret: string, query = '') {
  return call<{ object: string; data: Json[]; has_more: boolean; next_cursor: string | null }>(
    'GET',
    `/v1/notifications${query}`,
    withKey(secret, undefined, null),
  );
}

describe('Notifications: over HTTP', () => {
  it('emails the customer a receipt when a PaymentIntent succeeds, and lists it for the merchant', async () => {
    // Arrange
    const shop = await newShop();
    const email = `buyer-${randomUUID().slice(0, 8)}@notify.example`;
    const customer = await newCustomer(shop.test, { email, name: 'Buyer' });

    // Act
    const intent = await call<{ id: string; status: string }>(
      'POST',
      '/v1/payment_intents',
      withKey(shop.test, {
        amount: 3_000,
        currency: 'USD',
        customer,
        payment_method: 'pm_card_visa',
        confirm: true,
      }),
    );
    expect(intent.body.status).toBe('succeeded');
    const receipt = await waitFor(
      async () => (await list<Json>(`/local/emails?to=${encodeURIComponent(email)}`))[0],
      'the receipt email',
    );
    const listed = await waitFor(async () => {
      const page = await notificationsOf(shop.test);
      return page.body.data.some((n) => n.status === 'sent') ? page : undefined;
    }, 'the notification marked sent');

    // Assert
    expect(receipt).toMatchObject({
      subject: `Your receipt from Merchant ${shop.merchantId}`,
      text: expect.stringContaining('$30.00'),
      html: expect.stringContaining('<html lang="en">'),
    });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      object: 'list',
      data: [
        {
          id: expect.stringMatching(/^ntf_/),
          object: 'notification',
          channel: 'email',
          to: email,
          template: 'payment_receipt',
          event: 'payment_intent.succeeded',
          status: 'sent',
          attempts: 1,
          created: expect.any(Number),
          sent_at: expect.any(Number),
          livemode: false,
        },
      ],
      has_more: false,
      next_cursor: null,
    });
    const id = String(listed.body.data[0]?.id);
    const read = await call<Json>('GET', `/v1/notifications/${id}`, withKey(shop.test, undefined, null));
    expect(read).toMatchObject({ status: 200, body: listed.body.data[0] });
    const live = await call<Json>('GET', `/v1/notifications/${id}`, withKey(shop.live, undefined, null));
    expect(live.status).toBe(404);
    expect((await notificationsOf(shop.test, '?channel=sms')).body.data).toEqual([]);
  });

  it("texts the customer's phone and emails the customer when a payment fails", async () => {
    // Arrange
    const shop = await newShop();
    const phone = `+1555${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;
    const email = `declined-${randomUUID().slice(0, 8)}@notify.example`;
    const customer = await newCustomer(shop.test, { email, phone });

    // Act
    const intent = await call<{ status: string }>(
      'POST',
      '/v1/payment_intents',
      withKey(shop.test, {
        amount: 4_200,
        currency: 'USD',
        customer,
        payment_method: 'pm_card_chargeDeclined',
        confirm: true,
      }),
    );
    const sms = await waitFor(
      async () => (await list<Sent>(`/local/sms?to=${encodeURIComponent(phone)}`))[0],
      'the SMS',
    );
    const listed = await waitFor(async () => {
      const page = await notificationsOf(shop.test, '?channel=sms&status=sent');
      return page.body.data.length > 0 ? page : undefined;
    }, 'the SMS notification');

    // Assert
    expect(intent.status).toBe(402);
    expect(sms.text).toContain('$42.00');
    expect(listed.body.data).toEqual([
      expect.objectContaining({ channel: 'sms', to: phone, template: 'payment_failed', status: 'sent' }),
    ]);
    const [mail] = await list<Json>(`/local/emails?to=${encodeURIComponent(email)}`);
    expect(mail).toMatchObject({ subject: `Your payment to Merchant ${shop.merchantId} did not go through` });
  });

  it("sends a failed payout to the owner's email, phone and registered device", async () => {
    // Arrange: a merchant whose owner sets a phone and registers a device
    const owner = `@owner-${randomUUID()}:tween.example`;
    const merchantId = `mch_${randomUUID().replaceAll('-', '')}`;
    const phone = `+1666${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;
    await new DynamoDbMerchants(localDocumentClient(), tableDefinition.localName).create(
      merchant(merchantId, 'active', owner),
    );
    const token = await tokenFor(owner);
    const updated = await call<Json>('POST', `/merchant/v1/merchants/${merchantId}`, {
      token,
      body: { phone },
    });
    const otherOwner = await call<Json>('POST', `/merchant/v1/merchants/${merchantId}`, {
      token: await tokenFor('@stranger:tween.example'),
      body: { phone: '+15555550000' },
    });
    const device = await call<Json>('POST', `/merchant/v1/merchants/${merchantId}/devices`, {
      token,
      body: { token: `apns-${randomUUID()}`, platform: 'apns' },
    });
    const stranger = await call<Json>('POST', `/merchant/v1/merchants/${merchantId}/devices`, {
      token: await tokenFor('@stranger:tween.example'),
      body: { token: 'x', platform: 'fcm' },
    });
    const events = new EventBridgeClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      endpoint: endpoint('eventBridge'),
    });

    // Act
    await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: eventBusDefinition.localName,
            Source: EVENT_SOURCE,
            DetailType: 'payout.failed',
            Detail: JSON.stringify({
              eventId: `payout.failed:po_${merchantId}`,
              occurredAt: new Date().toISOString(),
              merchantId,
              mode: 'live',
              payoutId: `po_${merchantId}`,
              status: 'failed',
              method: 'standard',
              amount: 25_000,
              fee: 0,
              currency: 'USD',
              failureCode: 'account_closed',
            }),
          },
        ],
      }),
    );
    events.destroy();
    const sms = await waitFor(
      async () => (await list<Sent>(`/local/sms?to=${encodeURIComponent(phone)}`))[0],
      'the payout SMS',
    );
    const pushed = await waitFor(
      async () => (await list<Sent>('/local/push')).find((p) => p.text.includes(merchantId)),
      'the payout push',
    );

    // Assert
    expect(updated).toMatchObject({ status: 200, body: { id: merchantId, phone } });
    expect(otherOwner.status).toBe(404);
    expect(device).toMatchObject({ status: 201, body: { object: 'device', platform: 'apns' } });
    expect(stranger.status).toBe(404);
    expect(sms.text).toContain('$250.00');
    expect(pushed.title).toBe(`Payout of $250.00 to Merchant ${merchantId} failed`);
    const [mail] = await list<Json>(
      `/local/emails?to=${encodeURIComponent(`${merchantId}@merchants.example`)}`,
    );
    expect(mail).toMatchObject({ text: expect.stringContaining('account_closed') });
  });
});
