import type { EmailMessage } from '../../../../shared/app/merchants/ports.js';
import { NotificationsNotSentError, notify } from '../../../../shared/app/notifications/notify.js';
import { type DomainEvent, parseDomainEvent } from '../../../../shared/domain/events.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import { FakeChannel, FakeNotificationStore, FakeRecipients } from '../../../support/fakes/notifications.js';

const AT = '2030-01-02T03:04:05.000Z';
const tenant = { merchantId: 'mch_a', mode: 'test' as const };

function setup() {
  const notifications = new FakeNotificationStore();
  const recipients = new FakeRecipients();
  recipients.merchants.set('mch_a', {
    name: 'Acme & Co',
    email: 'owner@acme.example',
    phone: '+15555550100',
    pushEndpoints: ['arn:aws:sns:us-east-1:1:endpoint/APNS/app/1'],
  });
  recipients.customers.set('cus_1', { email: 'jo@example.com', phone: '+15555550123' });
  recipients.intentCustomers.set('pi_1', 'cus_1');
  const mail = new FakeChannel<EmailMessage>();
  const sms = new FakeChannel<{ to: string; text: string }>();
  const push = new FakeChannel<{ to: string; title: string; body: string }>();
  const clock = fixedClock(AT);
  const deps = {
    notifications,
    recipients,
    mailer: { send: (message: EmailMessage) => mail.deliver(message) },
    sms: { send: (to: string, text: string) => sms.deliver({ to, text }) },
    push: { send: (to: string, title: string, body: string) => push.deliver({ to, title, body }) },
    ids: sequentialIds(),
    clock,
  };
  return { notifications, recipients, mail, sms, push, clock, deps };
}

function intentEvent(type: 'payment_intent.succeeded' | 'payment_intent.payment_failed'): DomainEvent {
  return parseDomainEvent(type, {
    eventId: `${type}:pi_1`,
    occurredAt: AT,
    ...tenant,
    paymentIntentId: 'pi_1',
    status: type === 'payment_intent.succeeded' ? 'succeeded' : 'requires_payment_method',
    amount: 3000,
    amountReceived: type === 'payment_intent.succeeded' ? 3000 : 0,
    currency: 'USD',
    ...(type === 'payment_intent.payment_failed' ? { failureCode: 'card_declined' } : {}),
  });
}

function payoutEvent(type: 'payout.paid' | 'payout.failed'): DomainEvent {
  return parseDomainEvent(type, {
    eventId: `${type}:po_1`,
    occurredAt: AT,
    ...tenant,
    payoutId: 'po_1',
    status: type === 'payout.paid' ? 'paid' : 'failed',
    method: 'instant',
    amount: 20000,
    fee: 200,
    currency: 'USD',
  });
}

describe('Use case: notify', () => {
  it('emails the customer a receipt for a succeeded PaymentIntent and records it sent', async () => {
    // Arrange
    const { deps, mail, sms, notifications } = setup();

    // Act
    const outcome = await notify(intentEvent('payment_intent.succeeded'), deps);

    // Assert
    expect(outcome).toEqual({ sent: 1, skipped: 0 });
    expect(mail.sent).toEqual([
      expect.objectContaining({ to: 'jo@example.com', subject: 'Your receipt from Acme & Co' }),
    ]);
    expect(mail.sent[0]?.text).toContain('$30.00');
    expect(sms.sent).toEqual([]);
    expect([...notifications.items.values()]).toEqual([
      expect.objectContaining({
        channel: 'email',
        to: 'jo@example.com',
        template: 'payment_receipt',
        event: 'payment_intent.succeeded',
        status: 'sent',
        attempts: 1,
        sentAt: AT,
      }),
    ]);
  });

  it('emails and texts the customer when a payment fails', async () => {
    // Arrange
    const { deps, mail, sms } = setup();

    // Act
    await notify(intentEvent('payment_intent.payment_failed'), deps);

    // Assert
    expect(mail.sent.map((m) => m.subject)).toEqual(['Your payment to Acme & Co did not go through']);
    expect(sms.sent).toEqual([{ to: '+15555550123', text: expect.stringContaining('$30.00') }]);
  });

  it('sends nothing twice when the same event comes again', async () => {
    // Arrange
    const { deps, mail } = setup();
    await notify(intentEvent('payment_intent.succeeded'), deps);

    // Act
    const again = await notify(intentEvent('payment_intent.succeeded'), deps);

    // Assert
    expect(again).toEqual({ sent: 0, skipped: 1 });
    expect(mail.sent).toHaveLength(1);
  });

  it('leaves a notification failed and visible through an outage, then sends it once on the retry', async () => {
    // Arrange
    const { deps, mail, notifications } = setup();
    mail.down = true;

    // Act
    const during = notify(intentEvent('payment_intent.succeeded'), deps);

    // Assert: failed, with its attempt and error, and the event is thrown back for the queue to retry
    await expect(during).rejects.toBeInstanceOf(NotificationsNotSentError);
    expect([...notifications.items.values()]).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 1, lastError: 'Error: DEPENDENCY_UNAVAILABLE' }),
    ]);

    // Act: the provider is back, the queue redelivers twice
    mail.down = false;
    await notify(intentEvent('payment_intent.succeeded'), deps);
    await notify(intentEvent('payment_intent.succeeded'), deps);

    // Assert
    expect(mail.sent).toHaveLength(1);
    const [stored] = [...notifications.items.values()];
    expect(stored).toMatchObject({ status: 'sent', attempts: 2 });
    expect(stored?.lastError).toBeUndefined();
  });

  it('keeps what was sent when another channel of the same event fails', async () => {
    // Arrange
    const { deps, mail, sms } = setup();
    sms.down = true;

    // Act
    await expect(notify(intentEvent('payment_intent.payment_failed'), deps)).rejects.toThrow(
      NotificationsNotSentError,
    );
    sms.down = false;
    await notify(intentEvent('payment_intent.payment_failed'), deps);

    // Assert
    expect(mail.sent).toHaveLength(1);
    expect(sms.sent).toHaveLength(1);
  });

  it('sends a paid payout to the owner by email and push, a failed one by SMS too', async () => {
    // Arrange
    const { deps, mail, sms, push } = setup();

    // Act
    await notify(payoutEvent('payout.paid'), deps);
    await notify(payoutEvent('payout.failed'), deps);

    // Assert
    expect(mail.sent.map((m) => [m.to, m.subject])).toEqual([
      ['owner@acme.example', "Payout of $200.00 paid to Acme & Co's bank account"],
      ['owner@acme.example', 'Payout of $200.00 to Acme & Co failed'],
    ]);
    expect(push.sent.map((p) => p.to)).toEqual([
      'arn:aws:sns:us-east-1:1:endpoint/APNS/app/1',
      'arn:aws:sns:us-east-1:1:endpoint/APNS/app/1',
    ]);
    expect(sms.sent).toEqual([{ to: '+15555550100', text: expect.stringContaining('failed') }]);
  });

  it('sends a refund receipt only once the refund succeeded, to the customer it names', async () => {
    // Arrange
    const { deps, mail } = setup();
    const refund = (status: 'pending' | 'succeeded') =>
      parseDomainEvent('refund.updated', {
        eventId: `refund.updated:re_1:${status}`,
        occurredAt: AT,
        ...tenant,
        refundId: 're_1',
        sourceId: 'pi_1',
        status,
        amount: 1500,
        currency: 'USD',
        customerId: 'cus_1',
      });

    // Act
    await notify(refund('pending'), deps);
    await notify(refund('succeeded'), deps);

    // Assert
    expect(mail.sent.map((m) => [m.to, m.subject])).toEqual([
      ['jo@example.com', 'Your refund from Acme & Co'],
    ]);
    expect(mail.sent[0]?.text).toContain('$15.00');
  });

  it("emails the owner a review decision, the rejection's reason included", async () => {
    // Arrange
    const { deps, mail } = setup();

    // Act
    await notify(
      parseDomainEvent('merchant.updated', {
        eventId: 'merchant.updated:mch_a:1',
        occurredAt: AT,
        ...tenant,
        status: 'rejected',
        previousStatus: 'in_review',
        reason: 'blurry ID',
      }),
      deps,
    );

    // Assert
    expect(mail.sent).toEqual([
      expect.objectContaining({ to: 'owner@acme.example', subject: 'Acme & Co was not approved on Tween' }),
    ]);
    expect(mail.sent[0]?.text).toContain('blurry ID');
  });

  it('emails a review decision once: the live-mode twin of the event sends nothing', async () => {
    // Arrange
    const { deps, mail, notifications } = setup();
    const decision = {
      occurredAt: AT,
      merchantId: tenant.merchantId,
      status: 'active',
      previousStatus: 'in_review',
    };

    // Act
    await notify(
      parseDomainEvent('merchant.updated', {
        ...decision,
        eventId: 'merchant.updated:mch_a:t',
        mode: 'test',
      }),
      deps,
    );
    await notify(
      parseDomainEvent('merchant.updated', {
        ...decision,
        eventId: 'merchant.updated:mch_a:l',
        mode: 'live',
      }),
      deps,
    );

    // Assert
    expect(mail.sent.map((email) => email.subject)).toEqual(['Acme & Co is approved on Tween']);
    expect(notifications.items.size).toBe(1);
  });

  it('sends nothing for an event without a customer to write to, or one it does not notify', async () => {
    // Arrange
    const { deps, mail, recipients, notifications } = setup();
    recipients.intentCustomers.clear();

    // Act
    await notify(intentEvent('payment_intent.succeeded'), deps);
    await notify(
      parseDomainEvent('p2p.completed', { eventId: 'p2p.completed:t1', occurredAt: AT, transferId: 't1' }),
      deps,
    );

    // Assert
    expect(mail.sent).toEqual([]);
    expect(notifications.items.size).toBe(0);
  });
});
