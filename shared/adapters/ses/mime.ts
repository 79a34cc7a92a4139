/**
 * An email with attachments as one raw MIME message (RFC 5322, 2045–2047), for SES v2 SendEmail's
 * `Content.Raw`: multipart/mixed holding a multipart/alternative (text, then HTML) and each attachment,
 * base64 in 76-character lines. Header values that are not ASCII are RFC 2047 encoded words; the boundaries
 * are derived from the content, so the same message always has the same bytes.
 */
import { createHash } from 'node:crypto';
import type { EmailMessage } from '../../app/merchants/ports.js';

function base64Lines(content: Uint8Array | string): string {
  const encoded = Buffer.from(content).toString('base64');
  return encoded.replace(/.{1,76}/g, '$&\r\n');
}

/** A header value as is when it is printable ASCII, else as a UTF-8 encoded word. */
function headerValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value)
    ? value
    : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** A file name for `filename="…"`: quotes, backslashes and control characters dropped. */
function quotedName(name: string): string {
  return headerValue(name.replace(/["\\\r\n]/g, ''));
}

export function rawMimeMessage(from: string, message: EmailMessage): Uint8Array {
  const seed = createHash('sha256')
    .update(message.to)
    .update(message.subject)
    .update(message.text)
    .digest('hex')
    .slice(0, 24);
  const mixed = `mixed_${seed}`;
  const alternative = `alt_${seed}`;
  const lines: string[] = [
    `From: ${from}`,
    `To: ${message.to}`,
    `Subject: ${headerValue(message.subject)}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
    '',
    `--${mixed}`,
    `Content-Type: multipart/alternative; boundary="${alternative}"`,
    '',
    `--${alternative}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(message.text),
    `--${alternative}`,
    'Content-Type: text/html; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(message.html),
    `--${alternative}--`,
  ];
  for (const attachment of message.attachments ?? []) {
    const name = quotedName(attachment.fileName);
    lines.push(
      `--${mixed}`,
      `Content-Type: ${attachment.contentType}; name="${name}"`,
      `Content-Disposition: attachment; filename="${name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(attachment.content),
    );
  }
  lines.push(`--${mixed}--`, '');
  return new Uint8Array(Buffer.from(lines.join('\r\n'), 'utf8'));
}
