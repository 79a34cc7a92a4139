/**
 * Invoice PDFs and emails over HTTP against the local stack: a finalized invoice's PDF at
 * `GET /v1/invoices/{id}/pdf` (read back with pdf-parse: the merchant's name, the number, each line and the
 * total as `$30.00`), the same bytes every time, none for a draft or for another tenant (404); and the
 * finalization email to the customer with that PDF attached (`/local/emails`), listed among the merchant's
 * notifications.
 */
import { randomUUID } from 'node:crypto';
import { apiUrl, call } from '../support/api.js';
import { pdfText } from '../support/invoices.js';
import { newShop, type Shop, withKey } from '../support/merchant-shops.js';
import { waitFor } from '../support/stack.js';

type Json = Record<string, unknown>;
interface Email {
  subject: string;
  text: string;
  attachments: { filename: string; content_type: string; size: number; content: string }[];
}

let shop: Shop;
let other: Shop;

beforeAll(async () => {
  [shop, other] = await Promise.all([newShop(), newShop()]);
});

const post = (secret: string, path: string, body: unknown) => call<Json>('POST', path, withKey(secret, body));

async function pdfOf(secret: string, invoiceId: string) {
  const response = await fetch(`${apiUrl()}/v1/invoices/${invoiceId}/pdf`, {
    headers: { authorization: `Bearer ${secret}` },
  });
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function draftInvoice(secret: string, email?: string): Promise<{ id: string; customer: string }> {
  const customer = await post(secret, '/v1/customers', {
    name: 'Ada Lovelace',
    ...(email === undefined ? {} : { email }),
  });
  expect(customer.status).toBe(201);
  const invoice = await post(secret, '/v1/invoices', {
    customer: customer.body.id,
    items: [
      { amount: 2_000, description: 'Gym membership, December' },
      { amount: 1_000, description: 'Locker rental' },
    ],
    due_days: 14,
    currency: 'USD',
  });
  expect(invoice.status).toBe(201);
  return { id: String(invoice.body.id), customer: String(customer.body.id) };
}

describe('Invoice documents: over HTTP', () => {
  it('serves a finalized invoice as a PDF with the merchant, the number, each line and the total', async () => {
    // Arrange
    const { id } = await draftInvoice(shop.test);
    const draft = await pdfOf(shop.test, id);
    const finalized = await post(shop.test, `/v1/invoices/${id}/finalize`, {});
    expect(finalized.status).toBe(200);
    const number = String(finalized.body.number);

    // Act
    const first = await pdfOf(shop.test, id);
    const second = await pdfOf(shop.test, id);

    // Assert
    expect(draft.response.status).toBe(404);
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('content-type')).toBe('application/pdf');
    expect(first.response.headers.get('content-disposition')).toBe(`inline; filename="${number}.pdf"`);
    expect(Buffer.from(first.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    const text = await pdfText(first.bytes);
    for (const expected of [
      `Merchant ${shop.merchantId}`,
      number,
      'Ada Lovelace',
      'Gym membership, December',
      'Locker rental',
      '$20.00',
      '$10.00',
      '$30.00',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it("answers 404 for another tenant's invoice (another merchant, or the other mode)", async () => {
    // Arrange
    const { id } = await draftInvoice(shop.test);
    expect((await post(shop.test, `/v1/invoices/${id}/finalize`, {})).status).toBe(200);

    // Act
    const [otherMerchant, otherMode] = await Promise.all([pdfOf(other.test, id), pdfOf(shop.live, id)]);

    // Assert
    expect(otherMerchant.response.status).toBe(404);
    expect(JSON.parse(Buffer.from(otherMerchant.bytes).toString('utf8'))).toMatchObject({
      error: { code: 'NOT_FOUND' },
    });
    expect(otherMode.response.status).toBe(404);
  });

  it('emails the finalized invoice to its customer with the PDF attached, and lists the email', async () => {
    // Arrange
    const email = `payer-${randomUUID().slice(0, 8)}@invoices.example`;
    const { id } = await draftInvoice(shop.test, email);

    // Act
    const finalized = await post(shop.test, `/v1/invoices/${id}/finalize`, {});
    const sent = await waitFor(async () => {
      const answer = await call<{ data: Email[] }>('GET', `/local/emails?to=${encodeURIComponent(email)}`);
      return answer.body.data[0];
    }, 'the invoice email');

    // Assert
    const number = String(finalized.body.number);
    expect(sent.subject).toBe(`Invoice ${number} from Merchant ${shop.merchantId}`);
    expect(sent.text).toContain('$30.00');
    expect(sent.attachments).toHaveLength(1);
    expect(sent.attachments[0]).toMatchObject({ filename: `${number}.pdf`, content_type: 'application/pdf' });
    const attached = new Uint8Array(Buffer.from(sent.attachments[0]?.content ?? '', 'base64'));
    expect(Buffer.from(attached).equals(Buffer.from((await pdfOf(shop.test, id)).bytes))).toBe(true);
    const listed = await waitFor(async () => {
      const page = await call<{ data: Json[] }>(
        'GET',
        '/v1/notifications',
        withKey(shop.test, undefined, null),
      );
      return page.body.data.find((n) => n.template === 'invoice_finalized' && n.status === 'sent');
    }, 'the invoice email listed as sent');
    expect(listed).toMatchObject({ channel: 'email', to: email, event: 'invoice.finalized' });
  });
});
