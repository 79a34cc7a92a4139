import {
  formatAmount,
  renderEmail,
  renderPush,
  renderSms,
} from '../../../../shared/app/notifications/templates.js';
import { NOTIFICATION_TEMPLATES } from '../../../../shared/domain/notification.js';

describe('Templates: notifications', () => {
  it.each([
    [3000, 'USD', '$30.00'],
    [1050, 'JPY', '¥1,050'],
    [1050, 'KWD', 'KWD 1.050'],
    [123456789, 'EUR', '€1,234,567.89'],
  ])('formats %i %s as %s', (amount, currency, expected) => {
    // Act & Assert
    expect(formatAmount(amount, currency).replace(/\u00a0/g, ' ')).toBe(expected);
  });

  it('renders every template as text and as an HTML document with a language and a heading', () => {
    for (const template of NOTIFICATION_TEMPLATES) {
      // Act
      const email = renderEmail(template, 'a@example.com', {
        merchantName: 'Acme',
        amount: 3000,
        currency: 'USD',
        reference: 'pi_1',
      });

      // Assert
      expect(email.subject).toContain('Acme');
      expect(email.text.length).toBeGreaterThan(0);
      expect(email.html).toMatch(/^<!doctype html><html lang="en">.*<h1>.+<\/h1>/);
    }
  });

  it("escapes the merchant's name and the reason in HTML", () => {
    // Act
    const email = renderEmail('merchant_rejected', 'a@example.com', {
      merchantName: '<script>x</script>',
      reason: '"a" & b',
    });

    // Assert
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.html).toContain('&quot;a&quot; &amp; b');
  });

  it('keeps an SMS and a push short', () => {
    // Act
    const data = { merchantName: 'Acme', amount: 3000, currency: 'USD', reference: 'po_1' };
    const sms = renderSms('payout_failed', '+15555550100', data);
    const push = renderPush('payout_paid', 'arn:endpoint', data);

    // Assert
    expect(sms.text.length).toBeLessThanOrEqual(160);
    expect(push).toMatchObject({
      title: expect.stringContaining('$30.00'),
      body: expect.stringContaining('$30.00'),
    });
  });
});
