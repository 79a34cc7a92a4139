import type { App, Merchant, MerchantEvent, MerchantStatus, Mode } from '../../domain/merchant.js';

export interface MerchantPage {
  merchants: Merchant[];
  /** Where the next page starts (an adapter position, not yet a client cursor). */
  after?: string;
}

/** The fields a status change may set besides the status. */
export type MerchantChanges = Partial<Pick<Merchant, 'connectedAccountId' | 'reviewReason'>>;

export interface Merchants {
  /** Stores a new merchant (its id is fresh: a conditional put that never overwrites). */
  create(merchant: Merchant): Promise<Merchant>;
  get(merchantId: string): Promise<Merchant | undefined>;
  /**
   * Moves the merchant on by `event` (domain/merchant.ts decides where to), written on the condition that
   * it is still in the status it was decided from: of two concurrent decisions exactly one wins, the other
   * gets MERCHANT_STATE (409). NOT_FOUND when there is no such merchant.
   */
  transition(
    merchantId: string,
    event: MerchantEvent,
    at: string,
    changes?: MerchantChanges,
  ): Promise<Merchant>;
  /**
   * Puts `merchant` back in the status it had (kyc_required or rejected) when its submission's review could
   * not be started, on the condition that it is still in_review from that submission (`updatedAt` is
   * `submittedAt`): false, and nothing written, when anything moved it since.
   */
  withdrawSubmission(merchant: Merchant, submittedAt: string, at: string): Promise<boolean>;
  /** Sets (or, undefined, removes) the owner's phone, on the condition that the merchant exists. */
  setPhone(merchantId: string, phone: string | undefined, at: string): Promise<Merchant>;
  /** Sets the rolling reserve (ops), on the condition that the merchant exists. */
  setReserve(merchantId: string, reserveBps: number, at: string): Promise<Merchant>;
  /** One page of the merchants in `status`, oldest first. */
  listByStatus(query: { status: MerchantStatus; limit: number; after?: string }): Promise<MerchantPage>;
}

export interface AppPage {
  apps: App[];
  after?: string;
}

export interface Apps {
  /** Stores a new app under its merchant and mode, and its lookup by id, in one transaction. */
  create(app: App): Promise<App>;
  /** An app by its id alone (what a mini-app payment names), whoever owns it. */
  get(appId: string): Promise<App | undefined>;
  /** One page of a merchant's apps in one mode, oldest first. */
  list(query: { merchantId: string; mode: Mode; limit: number; after?: string }): Promise<AppPage>;
}

/** What KYC submission asks of the documents (shared/app/kyc/documents.ts implements it). */
export interface KycDocuments {
  /** Whether at least one of the merchant's documents is in the store, of its declared type and size. */
  anyUploaded(merchantId: string): Promise<boolean>;
}

// --- Onboarding -----------------------------------------------------------------------------------------

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Files sent with it (an invoice's PDF): the message then goes as raw MIME. */
  attachments?: readonly EmailAttachment[];
}

export interface EmailAttachment {
  fileName: string;
  contentType: string;
  content: Uint8Array;
}

/** Sends email; DEPENDENCY_UNAVAILABLE (503) when the mail service does not take it. */
export interface Mailer {
  send(message: EmailMessage): Promise<void>;
}

/** The pending email verification of a merchant: only the code's hash is kept. */
export interface EmailVerification {
  merchantId: string;
  codeHash: string;
  /** ISO instant after which the code is refused. */
  expiresAt: string;
  /** Wrong codes tried so far. */
  attempts: number;
  sentAt: string;
}

export interface EmailVerifications {
  /** Stores the merchant's current code (a new one replaces the old, attempts start again). */
  put(verification: EmailVerification): Promise<void>;
  get(merchantId: string): Promise<EmailVerification | undefined>;
  /**
   * Counts a wrong code, on the condition that fewer than `limit` were counted: false when the limit was
   * already reached (a concurrent guess took the last attempt).
   */
  countAttempt(merchantId: string, limit: number): Promise<boolean>;
  remove(merchantId: string): Promise<void>;
}

/** Verification codes: random, and kept only as a keyed hash. */
export interface VerificationCodes {
  generate(): string;
  hash(merchantId: string, code: string): string;
}

/** The review of a merchant's latest KYC submission, and the token of the execution waiting for it. */
export interface OnboardingReview {
  merchantId: string;
  /** 1 for the first submission, one more for each resubmission after a rejection. */
  submission: number;
  taskToken?: string;
  submittedAt: string;
}

export interface OnboardingReviews {
  /** Starts the next submission's review (submission + 1, no token): the new review. */
  open(merchantId: string, at: string): Promise<OnboardingReview>;
  get(merchantId: string): Promise<OnboardingReview | undefined>;
  /** Keeps the waiting execution's token, on the condition that `submission` is still the latest. */
  keepToken(merchantId: string, submission: number, taskToken: string): Promise<boolean>;
}

/** The onboarding state machine: one execution per submission, waiting for the reviewer. */
export interface OnboardingWorkflow {
  start(name: string, input: Readonly<Record<string, unknown>>): Promise<void>;
  resume(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<boolean>;
}

/** Stripe Connect: the account an approved merchant is paid out to. */
export interface ConnectAccounts {
  /** Creates (once per merchant: the idempotency key derives from its id) and returns the account id. */
  create(merchant: Merchant): Promise<string>;
}
