/** SES for email (MAIL_FROM): onboarding's codes and the notifications. */
import * as z from 'zod/mini';
import { sesV2 } from '../adapters/aws/sesv2-client.js';
import { SesMailer } from '../adapters/ses/ses-mailer.js';
import { DEFAULT_MAIL_FROM, MAIL_FROM_ENV } from '../adapters/ses/settings.js';
import { nonEmpty, readEnv } from '../config.js';
import { once } from '../lazy.js';

export const mailer = once(
  () =>
    new SesMailer(
      sesV2(),
      readEnv(z.object({ [MAIL_FROM_ENV]: z._default(nonEmpty, DEFAULT_MAIL_FROM) }))[MAIL_FROM_ENV] ??
        DEFAULT_MAIL_FROM,
    ),
);
