import { z } from 'zod';
import type { MfaMethod } from '../../domain/mfa.js';
import { PAYMENT_STATES } from '../../domain/payment.js';
import type { StepUpPurpose } from '../../domain/step-up.js';

const Method = z.enum(['transaction_pin', 'totp', 'biometric'] as const satisfies readonly MfaMethod[]);
const SixDigits = z.string().regex(/^[0-9]{6}$/, 'Expected exactly 6 digits');
/** A base64 (or base64url) DER or raw ECDSA P-256 signature is at most 96 characters; leave some room. */
const Signature = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'Expected base64');

export const ChallengeRequest = z.object({ method: Method }).strict().meta({ id: 'MfaChallengeRequest' });

export const VerifyRequest = z
  .object({
    challengeId: z.string().regex(/^ch_[A-Za-z0-9]{1,64}$/, 'unknown challenge id'),
    pin: SixDigits.optional().meta({ description: 'For a transaction_pin challenge' }),
    code: SixDigits.optional().meta({ description: 'For a totp challenge: the current authenticator code' }),
    signature: Signature.optional().meta({
      description: "For a biometric challenge: the device key's ECDSA P-256 / SHA-256 signature of `nonce`",
    }),
  })
  .strict()
  .refine(
    (body) => [body.pin, body.code, body.signature].filter((answer) => answer !== undefined).length === 1,
    { message: 'Send exactly one of pin, code or signature' },
  )
  .meta({ id: 'MfaVerifyRequest' });

export const Challenge = z
  .object({
    challengeId: z.string(),
    paymentId: z.string(),
    method: Method,
    status: z.enum(['pending', 'verified', 'failed', 'expired']),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    expiresAt: z.iso.datetime(),
    nonce: z
      .string()
      .optional()
      .meta({
        description:
          'Biometric only: `tween-mfa:v2:<appId>:<paymentId>:<amount>:<currency>:<random>`, the UTF-8 string the ' +
          'device signs (ECDSA P-256 / SHA-256 with its registered key): it names the app paid, the payment, the ' +
          'amount in minor units and the currency, so a signature approves this payment to this app only',
      }),
  })
  .meta({ id: 'MfaChallenge' });

export const MfaStatus = z
  .object({
    paymentId: z.string(),
    state: z.enum(PAYMENT_STATES),
    status: z.enum(['pending', 'requires_mfa', 'processing', 'completed', 'failed', 'refunded', 'cancelled']),
    mfaRequired: z.boolean(),
    methods: z.array(Method).meta({ description: "The payer's enrolled methods" }),
    challenge: Challenge.omit({ paymentId: true, nonce: true }).nullable(),
    locked: z.boolean().meta({ description: 'Too many failed attempts in the last hour' }),
  })
  .meta({ id: 'MfaStatus' });

export const PinRequest = z.object({ pin: SixDigits }).strict().meta({ id: 'MfaPinRequest' });

export const TotpConfirmRequest = z
  .object({ code: SixDigits })
  .strict()
  .meta({ id: 'MfaTotpConfirmRequest' });

export const DeviceRequest = z
  .object({
    deviceId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'Expected 1 to 128 letters, digits or _ . : -'),
    publicKey: z.string().min(1).max(256).meta({ description: 'P-256 public key, SPKI DER, base64' }),
  })
  .strict()
  .meta({ id: 'MfaDeviceRequest' });

export const Enrolled = z.object({ method: Method, enrolled: z.literal(true) }).meta({ id: 'MfaEnrolled' });

export const TotpEnrolment = z
  .object({
    secret: z.string().meta({ description: 'Base32; shown once, never again' }),
    otpauthUri: z.string().meta({ description: 'The key URI an authenticator app scans as a QR code' }),
  })
  .meta({ id: 'MfaTotpEnrolment' });

export const DeviceEnrolled = z
  .object({ deviceId: z.string(), enrolled: z.literal(true) })
  .meta({ id: 'MfaDeviceEnrolled' });

const Purpose = z.enum(['factors', 'transfer'] as const satisfies readonly StepUpPurpose[]).meta({
  description:
    '`factors`: to set, replace or add an MFA factor; `transfer`: for one P2P initiate or gift create of exactly `amount` `currency`',
});
const StepUpAmount = z
  .number()
  .int()
  .positive()
  .max(Number.MAX_SAFE_INTEGER)
  .optional()
  .meta({ description: 'Purpose `transfer` only: the amount (minor units) the token approves' });
const StepUpCurrency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 code')
  .optional()
  .meta({ description: 'Purpose `transfer` only: the currency the token approves' });

export const StepUpRequest = z
  .object({
    purpose: Purpose,
    method: Method,
    pin: SixDigits.optional().meta({ description: 'For method transaction_pin' }),
    code: SixDigits.optional().meta({ description: 'For method totp: the current authenticator code' }),
    signature: Signature.optional().meta({
      description:
        "For method biometric: the device key's ECDSA P-256 / SHA-256 signature of the pending step-up nonce (POST .../mfa/step-up/challenge)",
    }),
    amount: StepUpAmount,
    currency: StepUpCurrency,
  })
  .strict()
  .refine(
    (body) => [body.pin, body.code, body.signature].filter((answer) => answer !== undefined).length === 1,
    { message: 'Send exactly one of pin, code or signature' },
  )
  .meta({ id: 'MfaStepUpRequest' });

export const StepUpToken = z
  .object({
    stepUpToken: z.string().meta({
      description: 'Send as the X-Step-Up-Token header; single use, shown once (only its hash is stored)',
    }),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'MfaStepUpToken' });

export const StepUpChallengeRequest = z
  .object({ purpose: Purpose, amount: StepUpAmount, currency: StepUpCurrency })
  .strict()
  .meta({ id: 'MfaStepUpChallengeRequest' });

export const StepUpChallenge = z
  .object({
    nonce: z.string().meta({
      description:
        'The UTF-8 string the device signs: `tween-step-up:v1:factors:<random>` or `tween-step-up:v1:transfer:<amount>:<currency>:<random>`',
    }),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'MfaStepUpChallenge' });

/** The X-Step-Up-Token header, as the routes that may require one document it. */
export const StepUpTokenHeader = z
  .string()
  .min(1)
  .max(128)
  .optional()
  .meta({
    param: { name: 'X-Step-Up-Token', in: 'header' },
    description:
      'A step-up token (POST /payments/v1/user/{userId}/mfa/step-up), where this operation needs one',
  });
