/** In-memory fakes of the onboarding ports (shared/app/merchants/ports.ts). */
import type {
  ConnectAccounts,
  EmailMessage,
  EmailVerification,
  EmailVerifications,
  KycDocuments,
  Mailer,
  MerchantChanges,
  MerchantPage,
  Merchants,
  OnboardingReview,
  OnboardingReviews,
  OnboardingWorkflow,
  VerificationCodes,
} from '../../../shared/app/merchants/ports.js';
import { DependencyUnavailableError, NotFoundError } from '../../../shared/domain/errors.js';
import {
  type Merchant,
  type MerchantEvent,
  type MerchantStatus,
  nextMerchantStatus,
} from '../../../shared/domain/merchant.js';
import { ProcessorError } from '../../../shared/domain/provider-errors.js';

export class InMemoryMerchants implements Merchants {
  readonly items = new Map<string, Merchant>();

  async create(merchant: Merchant): Promise<Merchant> {
    if (this.items.has(merchant.merchantId)) throw new Error('exists');
    this.items.set(merchant.merchantId, { ...merchant });
    return merchant;
  }

  async get(merchantId: string): Promise<Merchant | undefined> {
    const merchant = this.items.get(merchantId);
    return merchant === undefined ? undefined : { ...merchant };
  }

  async transition(merchantId: string, event: MerchantEvent, at: string, changes: MerchantChanges = {}) {
    const current = this.items.get(merchantId);
    if (current === undefined) throw new NotFoundError('Merchant');
    const next = { ...current, ...changes, status: nextMerchantStatus(current.status, event), updatedAt: at };
    this.items.set(merchantId, next);
    return { ...next };
  }

  async withdrawSubmission(merchant: Merchant, submittedAt: string, at: string): Promise<boolean> {
    const current = this.items.get(merchant.merchantId);
    if (current?.status !== 'in_review' || current.updatedAt !== submittedAt) return false;
    this.items.set(merchant.merchantId, { ...current, status: merchant.status, updatedAt: at });
    return true;
  }

  async setPhone(merchantId: string, phone: string | undefined, at: string): Promise<Merchant> {
    const current = this.items.get(merchantId);
    if (current === undefined) throw new NotFoundError('Merchant');
    const { phone: _previous, ...rest } = current;
    const next = { ...rest, ...(phone === undefined ? {} : { phone }), updatedAt: at };
    this.items.set(merchantId, next);
    return next;
  }

  async setReserve(merchantId: string, reserveBps: number, at: string): Promise<Merchant> {
    const current = this.items.get(merchantId);
    if (current === undefined) throw new NotFoundError('Merchant');
    const next = { ...current, reserveBps, updatedAt: at };
    this.items.set(merchantId, next);
    return next;
  }

  async listByStatus(query: {
    status: MerchantStatus;
    limit: number;
    after?: string;
  }): Promise<MerchantPage> {
    const all = [...this.items.values()]
      .filter((merchant) => merchant.status === query.status)
      .sort((a, b) => a.merchantId.localeCompare(b.merchantId))
      .filter((merchant) => query.after === undefined || merchant.merchantId > query.after);
    const merchants = all.slice(0, query.limit);
    const last = merchants.at(-1);
    return { merchants, ...(all.length > query.limit && last ? { after: last.merchantId } : {}) };
  }
}

export class InMemoryVerifications implements EmailVerifications {
  readonly items = new Map<string, EmailVerification>();

  async put(verification: EmailVerification): Promise<void> {
    this.items.set(verification.merchantId, { ...verification });
  }

  async get(merchantId: string): Promise<EmailVerification | undefined> {
    const found = this.items.get(merchantId);
    return found === undefined ? undefined : { ...found };
  }

  async countAttempt(merchantId: string, limit: number): Promise<boolean> {
    const found = this.items.get(merchantId);
    if (found === undefined || found.attempts >= limit) return false;
    found.attempts += 1;
    return true;
  }

  async remove(merchantId: string): Promise<void> {
    this.items.delete(merchantId);
  }
}

export class InMemoryReviews implements OnboardingReviews {
  readonly items = new Map<string, OnboardingReview>();

  async open(merchantId: string, at: string): Promise<OnboardingReview> {
    const review = {
      merchantId,
      submission: (this.items.get(merchantId)?.submission ?? 0) + 1,
      submittedAt: at,
    };
    this.items.set(merchantId, review);
    return { ...review };
  }

  async get(merchantId: string): Promise<OnboardingReview | undefined> {
    const found = this.items.get(merchantId);
    return found === undefined ? undefined : { ...found };
  }

  async keepToken(merchantId: string, submission: number, taskToken: string): Promise<boolean> {
    const found = this.items.get(merchantId);
    if (found?.submission !== submission) return false;
    found.taskToken = taskToken;
    return true;
  }
}

/** Records what is sent; `failNext()` makes the next send fail as an SES outage does. */
export class RecordingMailer implements Mailer {
  readonly sent: EmailMessage[] = [];
  #failures = 0;

  failNext(times = 1): this {
    this.#failures += times;
    return this;
  }

  async send(message: EmailMessage): Promise<void> {
    if (this.#failures > 0) {
      this.#failures -= 1;
      throw new DependencyUnavailableError('mail service');
    }
    this.sent.push(message);
  }
}

/** Codes in sequence (`100001`, `100002`, ...), hashed reversibly enough for a test. */
export function sequentialCodes(): VerificationCodes {
  let n = 100_000;
  return {
    generate: () => String(++n),
    hash: (merchantId, code) => `hash(${merchantId}:${code})`,
  };
}

export class FakeDocuments implements KycDocuments {
  readonly uploaded = new Set<string>();

  async anyUploaded(merchantId: string): Promise<boolean> {
    return this.uploaded.has(merchantId);
  }
}

/** One account per merchant (as the idempotency key makes it); `failNext()` is a Stripe outage. */
export class FakeConnectAccounts implements ConnectAccounts {
  readonly created = new Map<string, string>();
  calls = 0;
  #failures = 0;

  failNext(): this {
    this.#failures += 1;
    return this;
  }

  async create(merchant: Merchant): Promise<string> {
    this.calls += 1;
    if (this.#failures > 0) {
      this.#failures -= 1;
      throw new ProcessorError({ retryable: true });
    }
    const id = this.created.get(merchant.merchantId) ?? `acct_${merchant.merchantId}`;
    this.created.set(merchant.merchantId, id);
    return id;
  }
}

export class RecordingOnboardingWorkflow implements OnboardingWorkflow {
  readonly starts: { name: string; input: Readonly<Record<string, unknown>> }[] = [];
  readonly resumes: { taskToken: string; output: Readonly<Record<string, unknown>> }[] = [];
  readonly #answered = new Set<string>();

  async start(name: string, input: Readonly<Record<string, unknown>>): Promise<void> {
    if (this.starts.some((start) => start.name === name)) return;
    this.starts.push({ name, input: { ...input } });
  }

  async resume(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<boolean> {
    this.resumes.push({ taskToken, output: { ...output } });
    if (this.#answered.has(taskToken)) return false;
    this.#answered.add(taskToken);
    return true;
  }
}
