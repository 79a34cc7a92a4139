import { hashStepUpToken } from '../../../../shared/adapters/crypto/step-up-token.js';
import { enrolledMethods } from '../../../../shared/app/mfa/common.js';
import type {
  AttemptReservation,
  AttemptSlot,
  ChallengeChange,
  ChallengeStore,
  DeviceKey,
  MfaAttempts,
  MfaCrypto,
  MfaFactors,
  SecretBox,
  SettleOutcome,
  StepUpStore,
  UserFactors,
} from '../../../../shared/app/mfa/ports.js';
import type { Workflows } from '../../../../shared/app/payments/ports.js';
import { mfaCrypto } from '../../../../shared/composition/mfa-crypto.js';
import { type Challenge, MFA_LOCKOUT, type MfaMethod } from '../../../../shared/domain/mfa.js';
import type { Payment } from '../../../../shared/domain/payment.js';
import {
  type StepUpGrant,
  type StepUpNonce,
  type StepUpScope,
  sameScope,
} from '../../../../shared/domain/step-up.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import { InMemoryPayments } from '../../../support/fakes/payments.js';
import { InMemoryLedger } from '../../../support/in-memory-ledger.js';

function roundTrip(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function copy<T>(value: T): T {
  return structuredClone(value);
}

/** Like DynamoDbMfaFactors. */
export class InMemoryFactors implements MfaFactors {
  readonly #byUser = new Map<string, UserFactors>();

  async methodsOf(userId: string): Promise<MfaMethod[]> {
    return enrolledMethods(await this.factorsOf(userId));
  }

  async factorsOf(userId: string): Promise<UserFactors> {
    await roundTrip();
    return copy(this.#of(userId));
  }

  async setPin(userId: string, hash: string, at: string): Promise<void> {
    await roundTrip();
    this.#of(userId).pin = { hash, updatedAt: at };
  }

  async startTotp(userId: string, sealedSecret: string, at: string): Promise<void> {
    await roundTrip();
    this.#of(userId).totp = { sealedSecret, status: 'pending_confirmation', createdAt: at };
  }

  async confirmTotp(userId: string, sealedSecret: string, step: number, at: string): Promise<boolean> {
    await roundTrip();
    const totp = this.#of(userId).totp;
    if (totp?.status !== 'pending_confirmation' || totp.sealedSecret !== sealedSecret) return false;
    Object.assign(totp, { status: 'confirmed', lastUsedStep: step, confirmedAt: at });
    return true;
  }

  async addDevice(userId: string, device: DeviceKey): Promise<boolean> {
    await roundTrip();
    const devices = this.#of(userId).devices;
    const existing = devices.find((known) => known.deviceId === device.deviceId);
    if (existing !== undefined) return existing.publicKey === device.publicKey;
    devices.push({ ...device });
    return true;
  }

  async useTotpStep(userId: string, step: number): Promise<boolean> {
    await roundTrip();
    return this.claimStep(userId, step);
  }

  /** Claims a TOTP step as the adapter's transaction does: only a later step than the last used one. */
  claimStep(userId: string, step: number): boolean {
    const totp = this.#of(userId).totp;
    if (totp?.status !== 'confirmed') return false;
    if (totp.lastUsedStep !== undefined && totp.lastUsedStep >= step) return false;
    totp.lastUsedStep = step;
    return true;
  }

  peek(userId: string): UserFactors {
    return copy(this.#of(userId));
  }

  #of(userId: string): UserFactors {
    let factors = this.#byUser.get(userId);
    if (factors === undefined) {
      factors = { devices: [] };
      this.#byUser.set(userId, factors);
    }
    return factors;
  }
}

/** Like DynamoDbChallenges: settle is conditional on pending + attempts seen, atomically with the TOTP step. */
export class InMemoryChallenges implements ChallengeStore {
  readonly #byId = new Map<string, Challenge>();

  constructor(private readonly factors: InMemoryFactors) {}

  async create(challenge: Challenge): Promise<void> {
    await roundTrip();
    if (this.#byId.has(challenge.challengeId)) throw new Error(`Challenge ${challenge.challengeId} exists`);
    this.#byId.set(challenge.challengeId, copy(challenge));
  }

  async get(challengeId: string): Promise<Challenge | undefined> {
    await roundTrip();
    const challenge = this.#byId.get(challengeId);
    return challenge === undefined ? undefined : copy(challenge);
  }

  async settle(
    challengeId: string,
    seenAttempts: number,
    change: ChallengeChange,
    totpStep?: { userId: string; step: number },
  ): Promise<SettleOutcome> {
    await roundTrip();
    const current = this.#byId.get(challengeId);
    if (current?.status !== 'pending' || current.attempts !== seenAttempts) return 'challenge_changed';
    if (totpStep !== undefined && !this.factors.claimStep(totpStep.userId, totpStep.step))
      return 'code_reused';
    this.#byId.set(challengeId, { ...current, status: change.status, attempts: change.attempts });
    return 'settled';
  }

  peek(challengeId: string): Challenge | undefined {
    const challenge = this.#byId.get(challengeId);
    return challenge === undefined ? undefined : copy(challenge);
  }

  all(): Challenge[] {
    return [...this.#byId.values()].map(copy);
  }
}

interface HeldSlot {
  attemptId: string;
  takenAt: string;
  failed?: { subject: string };
}

/**
 * Like DynamoDbMfaAttempts: MFA_LOCKOUT.failures slots per user, each taken by a conditional write (here the
 * check and the write happen with no yield between them, as DynamoDB applies one conditional write).
 */
export class InMemoryAttempts implements MfaAttempts {
  readonly #slots = new Map<string, (HeldSlot | undefined)[]>();
  /** Every guess that held a slot, for tests that count how many were checked at once. */
  held = 0;
  peakHeld = 0;
  #checking = 0;

  async reserve(
    userId: string,
    attemptId: string,
    now: Date,
    windowStart: Date,
  ): Promise<AttemptReservation> {
    await roundTrip();
    const slots = this.#of(userId);
    const free = slots.findIndex((slot) => slot === undefined || slot.takenAt < windowStart.toISOString());
    if (free === -1) {
      return {
        held: false,
        taken: slots.flatMap((slot) => (slot === undefined ? [] : [slot.takenAt])).sort(),
      };
    }
    slots[free] = { attemptId, takenAt: now.toISOString() };
    this.held += 1;
    this.#checking += 1;
    this.peakHeld = Math.max(this.peakHeld, this.#checking);
    return { held: true, slot: { userId, slot: free, attemptId } };
  }

  async release(slot: AttemptSlot): Promise<void> {
    await roundTrip();
    const slots = this.#of(slot.userId);
    if (slots[slot.slot]?.attemptId !== slot.attemptId) return;
    slots[slot.slot] = undefined;
    this.#checking -= 1;
  }

  async fail(slot: AttemptSlot, at: Date, subject: string): Promise<void> {
    await roundTrip();
    const held = this.#of(slot.userId)[slot.slot];
    if (held?.attemptId !== slot.attemptId) throw new Error('The slot is not held by this attempt');
    held.takenAt = at.toISOString();
    held.failed = { subject };
    this.#checking -= 1;
  }

  async since(userId: string, since: Date): Promise<string[]> {
    await roundTrip();
    return this.#of(userId)
      .flatMap((slot) => (slot === undefined || slot.takenAt < since.toISOString() ? [] : [slot.takenAt]))
      .sort();
  }

  /** The failures kept in the user's slots (subject and time), oldest first. */
  failures(userId: string): { subject: string; at: string }[] {
    return this.#of(userId)
      .flatMap((slot) =>
        slot?.failed === undefined ? [] : [{ subject: slot.failed.subject, at: slot.takenAt }],
      )
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  /** A failure of `at` in a free slot, as an earlier wrong guess would have left it. */
  seedFailure(userId: string, at: Date, subject = 'payment:seed'): void {
    const slots = this.#of(userId);
    const free = slots.indexOf(undefined);
    if (free === -1) throw new Error('No free slot to seed');
    slots[free] = { attemptId: `seed-${free}`, takenAt: at.toISOString(), failed: { subject } };
  }

  #of(userId: string): (HeldSlot | undefined)[] {
    let slots = this.#slots.get(userId);
    if (slots === undefined) {
      slots = Array.from({ length: MFA_LOCKOUT.failures }, () => undefined);
      this.#slots.set(userId, slots);
    }
    return slots;
  }
}

/** Like DynamoDbStepUps: a grant per token hash, spent once by a conditional write; one nonce per user. */
export class InMemoryStepUps implements StepUpStore {
  readonly grants = new Map<string, StepUpGrant & { spentAt?: string }>();
  readonly #nonces = new Map<string, StepUpNonce>();

  async grant(grant: StepUpGrant): Promise<void> {
    await roundTrip();
    if (this.grants.has(grant.tokenHash)) throw new Error('Condition failed: the grant exists');
    this.grants.set(grant.tokenHash, copy(grant));
  }

  async spend(tokenHash: string, userId: string, scope: StepUpScope, now: Date): Promise<boolean> {
    await roundTrip();
    const grant = this.grants.get(tokenHash);
    if (
      grant === undefined ||
      grant.spentAt !== undefined ||
      grant.userId !== userId ||
      !sameScope(grant.scope, scope) ||
      grant.expiresAt <= now.toISOString()
    ) {
      return false;
    }
    grant.spentAt = now.toISOString();
    return true;
  }

  async putNonce(nonce: StepUpNonce): Promise<void> {
    await roundTrip();
    this.#nonces.set(nonce.userId, copy(nonce));
  }

  async nonceOf(userId: string): Promise<StepUpNonce | undefined> {
    await roundTrip();
    const nonce = this.#nonces.get(userId);
    return nonce === undefined ? undefined : copy(nonce);
  }

  async takeNonce(userId: string, nonce: string): Promise<boolean> {
    await roundTrip();
    if (this.#nonces.get(userId)?.nonce !== nonce) return false;
    this.#nonces.delete(userId);
    return true;
  }
}

/** Records every resume and fail; a token answers true once, as a Step Functions task does. */
export class RecordingWorkflows implements Workflows {
  readonly started: string[] = [];
  readonly resumed: { taskToken: string; output: Readonly<Record<string, unknown>> }[] = [];
  readonly failed: { taskToken: string; error: string; cause: string }[] = [];
  readonly #settled = new Set<string>();

  async startPayment(paymentId: string): Promise<void> {
    this.started.push(paymentId);
  }

  async resume(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<boolean> {
    await roundTrip();
    this.resumed.push({ taskToken, output });
    return this.#settle(taskToken);
  }

  async fail(taskToken: string, error: string, cause: string): Promise<boolean> {
    await roundTrip();
    this.failed.push({ taskToken, error, cause });
    return this.#settle(taskToken);
  }

  #settle(taskToken: string): boolean {
    if (this.#settled.has(taskToken)) return false;
    this.#settled.add(taskToken);
    return true;
  }
}

/**
 * A reversible stand-in for KMS envelopes that, like KMS, opens an envelope only under the context it was
 * sealed with.
 */
export class FakeSecretBox implements SecretBox {
  async encrypt(plaintext: string, context: Readonly<Record<string, string>>): Promise<string> {
    const sealed = JSON.stringify({
      context: sorted(context),
      value: Buffer.from(plaintext).toString('hex'),
    });
    return Buffer.from(sealed).toString('base64');
  }

  async decrypt(envelope: string, context: Readonly<Record<string, string>>): Promise<string> {
    const opened = JSON.parse(Buffer.from(envelope, 'base64').toString('utf8')) as {
      context: string;
      value: string;
    };
    if (opened.context !== sorted(context)) throw new Error('Envelope context mismatch');
    return Buffer.from(opened.value, 'hex').toString('utf8');
  }
}

function sorted(context: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b)));
}

/** The production cryptography, exactly as the functions wire it (shared/composition/mfa-crypto.ts). */
export const realCrypto: MfaCrypto = mfaCrypto;

// ---------------------------------------------------------------------------------------------------------
// A world to test the use cases in

export const ALICE = '@alice:tween.example';
export const BOB = '@bob:tween.example';
export const PIN = '482913';
export const WRONG_PIN = '111111';
export const TASK_TOKEN_PREFIX = 'task-';

export function mfaWorld(start = '2026-03-01T12:00:00.000Z') {
  const clock = fixedClock(start);
  const ids = sequentialIds();
  const ledger = new InMemoryLedger(() => clock.now());
  const payments = new InMemoryPayments(ledger);
  const factors = new InMemoryFactors();
  const challenges = new InMemoryChallenges(factors);
  const attempts = new InMemoryAttempts();
  const stepUps = new InMemoryStepUps();
  const workflows = new RecordingWorkflows();
  const secrets = new FakeSecretBox();
  const deps = {
    payments,
    factors,
    challenges,
    attempts,
    stepUps,
    workflows,
    secrets,
    crypto: realCrypto,
    ids,
    clock,
  };

  /** A $60 wallet payment waiting for MFA, whose lifecycle already stored its task token (unless told). */
  const payment = async (
    overrides: Partial<Payment> = {},
    options: { tokenStored?: boolean } = {},
  ): Promise<Payment> => {
    const paymentId = overrides.paymentId ?? ids.next('pay_');
    const at = clock.now().toISOString();
    const token = options.tokenStored === false ? {} : { taskToken: `${TASK_TOKEN_PREFIX}${paymentId}` };
    return payments.create({
      paymentId,
      userId: ALICE,
      appId: 'app_demo',
      amount: { value: 6000, currency: 'USD' },
      paymentMethod: { type: 'wallet' },
      description: 'x',
      metadata: {},
      state: 'MFA_Required',
      mfaRequired: true,
      refundedAmount: 0,
      history: [{ state: 'Initiated', event: 'created', at, actor: ALICE }],
      createdAt: at,
      updatedAt: at,
      ...token,
      ...overrides,
    });
  };

  /** A step-up token of `scope` (default `factors`) for `userId`, as POST .../mfa/step-up would grant it. */
  let minted = 0;
  const stepUpToken = async (
    scope: StepUpScope = { purpose: 'factors' },
    userId = ALICE,
  ): Promise<string> => {
    minted += 1;
    const token = `test-token-${minted}`;
    const now = clock.now();
    await stepUps.grant({
      tokenHash: hashStepUpToken(token),
      userId,
      scope,
      expiresAt: new Date(now.getTime() + 300_000).toISOString(),
      createdAt: now.toISOString(),
    });
    return token;
  };

  return { ...deps, deps, ledger, payment, stepUpToken };
}
