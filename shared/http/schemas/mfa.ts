import * as z from 'zod/mini';
import type { MfaMethod } from '../../domain/mfa.js';
import { PAYMENT_STATES } from '../../domain/payment.js';
import type { StepUpPurpose } from '../../domain/step-up.js';

const int = () => z.number().check(z.int());
function described<S extends z.ZodMiniType>(schema: S, description: string): S {
  z.globalRegistry.add(schema, { description });
  return schema;
}

const Method = z.enum(['transaction_pin', 'totp', 'biometric'] as const satisfies readonly MfaMethod[]);
const SixDigits = z.string().check(z.regex(/^[0-9]{6}$/, 'Expected exactly 6 digits'));
/** A base64 (or base64url) DER or raw ECDSA P-256 signature is at most 96 characters; leave some room. */
const Signature = z
  .string()
  .check(z.minLength(1), z.maxLength(256), z.regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'Expected base64'));

/** Exactly one answer: a PIN, an authenticator code, or a device signature. */
type Answers = { pin?: string | undefined; code?: string | undefined; signature?: string | undefined };
const oneAnswer = z.refine<Answers>(
  (body) => [body.pin, body.code, body.signature].filter((answer) => answer !== undefined).length === 1,
  { message: 'Send exactly one of pin, code or signature' },
);

export const ChallengeRequest = z
  .strictObject({ method: Method })
  .register(z.globalRegistry, { id: 'MfaChallengeRequest' });

export const VerifyRequest = z
  .strictObject({
    challengeId: z.string().check(z.regex(/^ch_[A-Za-z0-9]{1,64}$/, 'unknown challenge id')),
    pin: described(z.optional(SixDigits), 'For a transaction_pin challenge'),
    code: described(z.optional(SixDigits), 'For a totp challenge: the current authenticator code'),
    signature: described(
      z.optional(Signature),
      "For a biometric challenge: the device key's ECDSA P-256 / SHA-256 signature of `nonce`",
    ),
  })
  .check(oneAnswer)
  .register(z.globalRegistry, { id: 'MfaVerifyRequest' });

const ChallengeShape = {
  challengeId: z.string(),
  paymentId: z.string(),
  method: Method,
  status: z.enum(['pending', 'verified', 'failed', 'expired']),
  attempts: int(),
  maxAttempts: int(),
  expiresAt: z.iso.datetime(),
  nonce: described(
    z.optional(z.string()),
    'Biometric only: `tween-mfa:v2:<appId>:<paymentId>:<amount>:<currency>:<random>`, the UTF-8 string the ' +
      'device signs (ECDSA P-256 / SHA-256 with its registered key): it names the app paid, the payment, the ' +
      'amount in minor units and the currency, so a signature approves this payment to this app only',
  ),
};

export const Challenge = z.object(ChallengeShape).register(z.globalRegistry, { id: 'MfaChallenge' });

export const MfaStatus = z
  .object({
    paymentId: z.string(),
    state: z.enum(PAYMENT_STATES),
    status: z.enum(['pending', 'requires_mfa', 'processing', 'completed', 'failed', 'refunded', 'cancelled']),
    mfaRequired: z.boolean(),
    methods: described(z.array(Method), "The payer's enrolled methods"),
    challenge: z.nullable(z.omit(Challenge, { paymentId: true, nonce: true })),
    locked: described(z.boolean(), 'Too many failed attempts in the last hour'),
  })
  .register(z.globalRegistry, { id: 'MfaStatus' });

export const PinRequest = z
  .strictObject({ pin: SixDigits })
  .register(z.globalRegistry, { id: 'MfaPinRequest' });

export const TotpConfirmRequest = z
  .strictObject({ code: SixDigits })
  .register(z.globalRegistry, { id: 'MfaTotpConfirmRequest' });

export const DeviceRequest = z
  .strictObject({
    deviceId: z
      .string()
      .check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'Expected 1 to 128 letters, digits or _ . : -')),
    publicKey: described(
      z.string().check(z.minLength(1), z.maxLength(256)),
      'P-256 public key, SPKI DER, base64',
    ),
  })
  .register(z.globalRegistry, { id: 'MfaDeviceRequest' });

export const Enrolled = z
  .object({ method: Method, enrolled: z.literal(true) })
  .register(z.globalRegistry, { id: 'MfaEnrolled' });

export const TotpEnrolment = z
  .object({
    secret: described(z.string(), 'Base32; shown once, never again'),
    otpauthUri: described(z.string(), 'The key URI an authenticator app scans as a QR code'),
  })
  .register(z.globalRegistry, { id: 'MfaTotpEnrolment' });

export const DeviceEnrolled = z
  .object({ deviceId: z.string(), enrolled: z.literal(true) })
  .register(z.globalRegistry, { id: 'MfaDeviceEnrolled' });

const Purpose = described(
  z.enum(['factors', 'transfer'] as const satisfies readonly StepUpPurpose[]),
  '`factors`: to set, replace or add an MFA factor; `transfer`: for one P2P initiate or gift create of exactly `amount` `currency`',
);
const StepUpAmount = described(
  z.optional(z.number().check(z.int(), z.positive(), z.maximum(Number.MAX_SAFE_INTEGER))),
  'Purpose `transfer` only: the amount (minor units) the token approves',
);
const StepUpCurrency = described(
  z.optional(z.string().check(z.regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 code'))),
  'Purpose `transfer` only: the currency the token approves',
);

export const StepUpRequest = z
  .strictObject({
    purpose: Purpose,
    method: Method,
    pin: described(z.optional(SixDigits), 'For method transaction_pin'),
    code: described(z.optional(SixDigits), 'For method totp: the current authenticator code'),
    signature: described(
      z.optional(Signature),
      "For method biometric: the device key's ECDSA P-256 / SHA-256 signature of the pending step-up nonce (POST .../mfa/step-up/challenge)",
    ),
    amount: StepUpAmount,
    currency: StepUpCurrency,
  })
  .check(oneAnswer)
  .register(z.globalRegistry, { id: 'MfaStepUpRequest' });

export const StepUpToken = z
  .object({
    stepUpToken: described(
      z.string(),
      'Send as the X-Step-Up-Token header; single use, shown once (only its hash is stored)',
    ),
    expiresAt: z.iso.datetime(),
  })
  .register(z.globalRegistry, { id: 'MfaStepUpToken' });

export const StepUpChallengeRequest = z
  .strictObject({ purpose: Purpose, amount: StepUpAmount, currency: StepUpCurrency })
  .register(z.globalRegistry, { id: 'MfaStepUpChallengeRequest' });

export const StepUpChallenge = z
  .object({
    nonce: described(
      z.string(),
      'The UTF-8 string the device signs: `tween-step-up:v1:factors:<random>` or `tween-step-up:v1:transfer:<amount>:<currency>:<random>`',
    ),
    expiresAt: z.iso.datetime(),
  })
  .register(z.globalRegistry, { id: 'MfaStepUpChallenge' });

/** The X-Step-Up-Token header, as the routes that may require one document it. */
export const StepUpTokenHeader = z
  .optional(z.string().check(z.minLength(1), z.maxLength(128)))
  .register(z.globalRegistry, {
    param: { name: 'X-Step-Up-Token', in: 'header' },
    description:
      'A step-up token (POST /payments/v1/user/{userId}/mfa/step-up), where this operation needs one',
  });
