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
