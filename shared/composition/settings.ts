/**
 * Feature settings several functions read: each parsed once per cold start, with its default, failing with
 * a message naming the variable when it is malformed. Settings of one function stay in that function.
 */
import * as z from 'zod/mini';
import type { PaymentPolicy } from '../app/payments/policy.js';
import { intSetting, readEnv } from '../config.js';
import { parseThresholds } from '../domain/mfa.js';
import { CurrencyPolicy, DEFAULT_ENABLED_CURRENCIES } from '../domain/money.js';
import { once } from '../lazy.js';

const DEFAULT_MFA_THRESHOLDS = 'USD:5000';

/** The currencies this deployment takes (ENABLED_CURRENCIES). */
export const currencies = once(() =>
  CurrencyPolicy.fromList(
    readEnv(z.object({ ENABLED_CURRENCIES: z._default(z.string(), DEFAULT_ENABLED_CURRENCIES) }))
      .ENABLED_CURRENCIES,
  ),
);

/** The amounts above which a payment, a transfer or a gift asks for a second factor (MFA_THRESHOLDS). */
export const mfaThresholds = once(() =>
  parseThresholds(
    readEnv(z.object({ MFA_THRESHOLDS: z._default(z.string(), DEFAULT_MFA_THRESHOLDS) })).MFA_THRESHOLDS,
  ),
);

/** When a payment asks for MFA and how long it and its provider may take. */
export const paymentPolicy = once((): PaymentPolicy => {
  const env = readEnv(
    z.object({
      MFA_VELOCITY_LIMIT: intSetting(10),
      MFA_TIMEOUT_SECONDS: intSetting(300),
      PROVIDER_TIMEOUT_SECONDS: intSetting(3_600),
    }),
  );
  return {
    mfaThresholds: mfaThresholds(),
    mfaVelocityLimit: env.MFA_VELOCITY_LIMIT,
    mfaTimeoutSeconds: env.MFA_TIMEOUT_SECONDS,
    providerTimeoutSeconds: env.PROVIDER_TIMEOUT_SECONDS,
  };
});
