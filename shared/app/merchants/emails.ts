/** The emails of onboarding, in plain text and HTML (every value escaped). */
import type { Merchant } from '../../domain/merchant.js';
import type { EmailMessage } from './ports.js';

export function verificationEmail(merchant: Merchant, code: string, validMinutes: number): EmailMessage {
  return message(merchant.email, `Your Tween verification code: ${code}`, [
    `Use this code to verify the email address of ${merchant.name} on Tween: ${code}`,
    `It is valid for ${validMinutes} minutes. If you did not ask for it, ignore this email.`,
  ]);
}

/** An email of plain-text paragraphs, the HTML part escaped. */
export function message(to: string, subject: string, paragraphs: readonly string[]): EmailMessage {
  return {
    to,
    subject,
    text: paragraphs.join('\n\n'),
    html: paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join(''),
  };
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
