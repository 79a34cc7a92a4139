/**
 * Merchants: the businesses paid through Tween (mini-app developers, venues, sellers). A Tween user creates
 * one and owns it; it earns the right to take live money through email verification and a KYC review by
 * ops. Every status change is decided here and written conditionally on the status it was decided from.
 *
 *   pending_verification --verify_email--> kyc_required --submit_kyc--> in_review
 *   in_review --approve--> active        in_review --reject--> rejected --submit_kyc--> in_review
 */
import { DomainError, type ErrorDetails, NotFoundError } from './errors.js';

export const MERCHANT_STATUSES = [
  'pending_verification',
  'kyc_required',
  'in_review',
  'active',
  'rejected',
] as const;
export type MerchantStatus = (typeof MERCHANT_STATUSES)[number];

export type MerchantEvent = 'verify_email' | 'submit_kyc' | 'approve' | 'reject';

export type BusinessType = 'individual' | 'company';

/** Test and live data are separate tenants: every merchant object belongs to one mode. */
export const MODES = ['test', 'live'] as const;
export type Mode = (typeof MODES)[number];

export interface Merchant {
  merchantId: string;
  /** The Tween user (Matrix id) who created it. */
  owner: string;
  name: string;
  email: string;
  /** The owner's phone (E.164) for the SMS of a failed payout. Personal data: never logged. */
  phone?: string;
  country: string;
  businessType: BusinessType;
  status: MerchantStatus;
  /** The rolling reserve ops set: the part of `available` held back for chargebacks, in basis points. */
  reserveBps: number;
  /** The Stripe Connect account payouts go to, created on approval. */
  connectedAccountId?: string;
  /** The last review's reason (a rejection's is emailed to the owner). */
  reviewReason?: string;
  createdAt: string;
  updatedAt: string;
}

const TRANSITIONS: Readonly<Record<MerchantEvent, Partial<Record<MerchantStatus, MerchantStatus>>>> = {
  verify_email: { pending_verification: 'kyc_required' },
  submit_kyc: { kyc_required: 'in_review', rejected: 'in_review' },
  approve: { in_review: 'active' },
  reject: { in_review: 'rejected' },
};

/** A request the merchant's status does not allow (a second review decision, a resubmission while active). */
export class MerchantStateError extends DomainError {
  override readonly name = 'MerchantStateError';
  constructor(status: MerchantStatus, event: MerchantEvent, details?: ErrorDetails) {
    super('MERCHANT_STATE', `A merchant that is ${status} cannot ${event.replace('_', ' ')}`, {
      status,
      event,
      ...details,
    });
  }
}

/** The status `event` leads to from `status`, or MERCHANT_STATE (409). */
export function nextMerchantStatus(status: MerchantStatus, event: MerchantEvent): MerchantStatus {
  const next = TRANSITIONS[event][status];
  if (next === undefined) throw new MerchantStateError(status, event);
  return next;
}

/** The statuses `event` may leave from: the condition of its write. */
export function statusesAllowing(event: MerchantEvent): MerchantStatus[] {
  return Object.keys(TRANSITIONS[event]) as MerchantStatus[];
}

/** Live keys and live money only for a merchant ops approved. */
export class MerchantNotActiveError extends DomainError {
  override readonly name = 'MerchantNotActiveError';
  constructor(status: MerchantStatus) {
    super('MERCHANT_NOT_ACTIVE', 'The merchant is not active yet', { status });
  }
}

/**
 * The owner, or ops, may read a merchant; anyone else is told it does not exist (never 403-vs-404 leaks
 * about other people's merchants).
 */
export function assertCanRead(
  merchant: Merchant,
  caller: { userId: string; roles: readonly string[] },
): void {
  if (merchant.owner !== caller.userId && !caller.roles.includes('ops')) throw new NotFoundError('Merchant');
}

/** Only the owner acts for a merchant (ops review it through their own routes). */
export function assertOwner(merchant: Merchant, caller: { userId: string }): void {
  if (merchant.owner !== caller.userId) throw new NotFoundError('Merchant');
}

// --- Apps ----------------------------------------------------------------------------------------------

/**
 * A merchant's app (a mini-app, a venue's site): mini-app payments name one, and their money goes to its
 * merchant. Its mode is the mode of the key that registered it; wallets move real money, so mini-app
 * payments take only live apps of active merchants.
 */
export interface App {
  appId: string;
  merchantId: string;
  mode: Mode;
  name: string;
  createdAt: string;
}

// --- API keys -------------------------------------------------------------------------------------------

export const API_KEY_SCOPES = [
  'payments:read',
  'payments:write',
  'refunds:write',
  'customers:read',
  'customers:write',
  'payouts:write',
  'webhooks:write',
  'billing:read',
  'billing:write',
  'orders:write',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Who calls a `/v1/*` route: what the API-key authorizer found for the key. */
export interface MerchantCaller {
  merchantId: string;
  mode: Mode;
  scopes: readonly ApiKeyScope[];
  keyId: string;
}

export class InsufficientScopeError extends DomainError {
  override readonly name = 'InsufficientScopeError';
  constructor(scope: ApiKeyScope) {
    super('INSUFFICIENT_SCOPE', `This API key lacks the ${scope} scope`, { scope });
  }
}

export class InvalidApiKeyError extends DomainError {
  override readonly name = 'InvalidApiKeyError';
  constructor() {
    super('INVALID_API_KEY', 'The API key is invalid, revoked or expired');
  }
}

export function assertScope(caller: MerchantCaller, scope: ApiKeyScope): void {
  if (!caller.scopes.includes(scope)) throw new InsufficientScopeError(scope);
}
