import { simpleParser } from 'mailparser';
import { rawMimeMessage } from '../../../shared/adapters/ses/mime.js';

const message = {
  to: 'jo@example.com',
  subject: 'Invoice ACME-0007 from Café & Co — ¥500',
  text: 'Café & Co sent you invoice ACME-0007 for ¥500.',
  html: '<p>Café &amp; Co sent you invoice ACME-0007 for ¥500.</p>',
  attachments: [
    {
      fileName: 'ACME-0007.pdf',
      contentType: 'application/pdf',
      content: new Uint8Array(Buffer.from(`%PDF-1.3\n${'x'.repeat(300)}\u00ff`, 'latin1')),
    },
  ],
};

describe('Adapter: raw MIME email', () => {
  it('carries the subject, text, HTML and the attachment byte for byte', async () => {
    // Act
    const raw = rawMimeMessage('no-reply@tween.example', message);
    const parsed = await simpleParser(Buffer.from(raw));

    // Assert
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.from?.text).toBe('no-reply@tween.example');
    expect(parsed.text?.trim()).toBe(message.text);
    expect(parsed.html).toBe(message.html);
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]?.filename).toBe('ACME-0007.pdf');
    expect(parsed.attachments[0]?.contentType).toBe('application/pdf');
    expect(
      Buffer.from(parsed.attachments[0]?.content ?? []).equals(
        Buffer.from(message.attachments[0]?.content ?? []),
      ),
    ).toBe(true);
  });

  it('is the same bytes for the same message, with no line longer than RFC 5322 allows (998)', () => {
    // Act
    const first = Buffer.from(rawMimeMessage('no-reply@tween.example', message)).toString('utf8');
    const second = Buffer.from(rawMimeMessage('no-reply@tween.example', message)).toString('utf8');

    // Assert
    expect(second).toBe(first);
    expect(first.split('\r\n').every((line) => line.length <= 998)).toBe(true);
  });
});
