import type { EmailMessage } from '../../../../shared/app/merchants/ports.js';
import { notify } from '../../../../shared/app/notifications/notify.js';
import { type DomainEvent, parseDomainEvent } from '../../../../shared/domain/events.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import { FakeChannel, FakeNotificationStore, FakeRecipients } from '../../../support/fakes/notifications.js';

const AT = '2030-01-02T03:04:05.000Z';
const tenant = { merchantId: 'mch_a', mode: 'test' as const };
const PDF = new Uint8Array(Buffer.from('%PDF-1.3 the invoice'));

type InvoiceEventType = 'invoice.finalized' | 'invoice.paid' | 'invoice.payment_failed';

function invoiceEvent(type: InvoiceEventType, overrides: Record<string, unknown> = {}): DomainEvent {
  return parseDomainEvent(type, {
    eventId: `${type}:in_1`,
    occurredAt: AT,
    ...tenant,
    object: { id: 'in_1', object: 'invoice', due_date: Date.parse('2030-02-01T00:00:00Z') / 1000 },
    invoiceId: 'in_1',
    customerId: 'cus_1',
    status: type === 'invoice.paid' ? 'paid' : 'open',
    number: 'ACME-0007',
    total: 500,
    amountDue: type === 'invoice.paid' ? 0 : 500,
    currency: 'JPY',
    ...(type === 'invoice.payment_failed' ? { failureCode: 'card_declined' } : {}),
    ...overrides,
  });
}

function setup(customer: { email?: string } = { email: 'jo@example.com' }) {
  const recipients = new FakeRecipients();
  recipients.merchants.set('mch_a', { name: 'Acme & Co', email: 'owner@acme.example', pushEndpoints: [] });
  recipients.customers.set('cus_1', customer);
  const mail = new FakeChannel<EmailMessage>();
  const asked: string[] = [];
  const notifications = new FakeNotificationStore();
  const deps = {
    notifications,
    recipients,
    mailer: { send: (message: EmailMessage) => mail.deliver(message) },
    sms: { send: async () => undefined },
    push: { send: async () => undefined },
    invoiceAttachments: {
      pdf: async (_tenant: unknown, invoiceId: string) => {
        asked.push(invoiceId);
        return { fileName: 'ACME-0007.pdf', content: PDF };
      },
    },
    ids: sequentialIds(),
    clock: fixedClock(AT),
  };
  return { deps, mail, asked, notifications };
}

describe('Use case: notify (invoice emails)', () => {
  it('emails the finalized invoice to its customer with its PDF attached, in the currency format', async () => {
    // Arrange
    const { deps, mail, notifications } = setup();

    // Act
    const outcome = await notify(invoiceEvent('invoice.finalized'), deps);

    // Assert
    expect(outcome).toEqual({ sent: 1, skipped: 0 });
    const [email] = mail.sent;
    expect(email).toMatchObject({ to: 'jo@example.com', subject: 'Invoice ACME-0007 from Acme & Co' });
    expect(email?.text).toContain('¥500');
    expect(email?.text).toContain('due on 2030-02-01');
    expect(email?.html).toContain('Acme &amp; Co');
    expect(email?.attachments).toEqual([
      { fileName: 'ACME-0007.pdf', contentType: 'application/pdf', content: PDF },
    ]);
    const [listed] = (await notifications.list(tenant, { limit: 10 })).items;
    expect(listed).toMatchObject({
      template: 'invoice_finalized',
      event: 'invoice.finalized',
      status: 'sent',
    });
  });

  it('sends a receipt for a paid invoice and the decline for a failed payment, without attachments', async () => {
    // Arrange
    const { deps, mail, asked } = setup();

    // Act
    await notify(invoiceEvent('invoice.paid'), deps);
    await notify(invoiceEvent('invoice.payment_failed'), deps);

    // Assert
    expect(mail.sent.map((email) => email.subject)).toEqual([
      'Receipt for invoice ACME-0007 from Acme & Co',
      'Payment for invoice ACME-0007 from Acme & Co failed',
    ]);
    expect(mail.sent[0]?.text).toContain('¥500');
    expect(mail.sent[1]?.text).toContain('declined (card_declined)');
    expect(mail.sent.every((email) => email.attachments === undefined)).toBe(true);
    expect(asked).toEqual([]);
  });

  it('sends nothing, and renders nothing, to a customer without an email (and it is no error)', async () => {
    // Arrange
    const { deps, mail, asked } = setup({});

    // Act
    const outcome = await notify(invoiceEvent('invoice.finalized'), deps);

    // Assert
    expect(outcome).toEqual({ sent: 0, skipped: 0 });
    expect(mail.sent).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('sends the finalized invoice once when the event comes back', async () => {
    // Arrange
    const { deps, mail } = setup();
    const event = invoiceEvent('invoice.finalized');

    // Act
    await notify(event, deps);
    const again = await notify(event, deps);

    // Assert
    expect(again).toEqual({ sent: 0, skipped: 1 });
    expect(mail.sent).toHaveLength(1);
  });

  it("sends no PaymentIntent receipt for an invoice's charge: the invoice's own receipt says it", async () => {
    // Arrange
    const { deps, mail } = setup();
    deps.recipients.intentCustomers.set('pi_1', 'cus_1');
    const charge = parseDomainEvent('payment_intent.succeeded', {
      eventId: 'payment_intent.succeeded:pi_1',
      occurredAt: AT,
      ...tenant,
      object: { id: 'pi_1', object: 'payment_intent', metadata: { invoice: 'in_1' } },
      paymentIntentId: 'pi_1',
      status: 'succeeded',
      amount: 500,
      amountReceived: 500,
      currency: 'JPY',
    });

    // Act
    await notify(charge, deps);
    await notify(invoiceEvent('invoice.paid'), deps);

    // Assert
    expect(mail.sent.map((email) => email.subject)).toEqual(['Receipt for invoice ACME-0007 from Acme & Co']);
  });
});
