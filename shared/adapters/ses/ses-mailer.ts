/**
 * The Mailer port on SES v2 SendEmail from one sender address: simple content (subject, text and HTML), or,
 * with attachments (an invoice's PDF), raw MIME content (mime.ts).
 */
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { EmailMessage, Mailer } from '../../app/merchants/ports.js';
import { DependencyUnavailableError } from '../../domain/errors.js';
import { rawMimeMessage } from './mime.js';

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
  ) {}

  async send(message: EmailMessage): Promise<void> {
    try {
      await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [message.to] },
          Content:
            (message.attachments?.length ?? 0) > 0
              ? { Raw: { Data: rawMimeMessage(this.from, message) } }
              : {
                  Simple: {
                    Subject: { Data: message.subject, Charset: 'UTF-8' },
                    Body: {
                      Text: { Data: message.text, Charset: 'UTF-8' },
                      Html: { Data: message.html, Charset: 'UTF-8' },
                    },
                  },
                },
        }),
      );
    } catch (error) {
      // Unreachable, throttled, or refused: nothing was sent, and the caller may ask again later.
      throw new DependencyUnavailableError('mail service', { cause: error });
    }
  }
}
