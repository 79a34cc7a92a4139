/**
 * Ports: what the use cases need from the outside world, named by capability. Adapters in
 * shared/adapters implement them; unit tests use in-memory fakes. This module holds the ports every feature
 * shares (clock, ids, audit, the ledger and wallets, rooms); each feature's own are in its folder's ports.ts
 * (payments, wallets, p2p, gifts, mfa, webhooks, reconciliation, resilience).
 */
import type { Account, Transfer, TransferCommand } from '../domain/ledger.js';

export type IntegrationName = 'table' | 'queue' | 'bus' | 'stepFunctions' | 'kms';

/** One dependency the service cannot work without, and a cheap call that proves it answers. */
export interface IntegrationProbe {
  name: IntegrationName;
  check(): Promise<void>;
}

export interface DomainEventRecord {
  id: string;
  source: string;
  detailType: string;
  time: string;
  detail: unknown;
}

export interface AuditLog {
  /** Stores the event once; returns false when it was already stored (a redelivery). */
  append(event: DomainEventRecord): Promise<boolean>;
}

export interface Clock {
  now(): Date;
}

export interface Ids {
  /** A new opaque id with the given prefix, e.g. `tw_` + 22 random characters. */
  next(prefix: string): string;
  /**
   * The same opaque id for the same parts, every time: a retried request (same caller, same
   * Idempotency-Key) finds the record and the provider idempotency key of its first attempt.
   */
  derive(prefix: string, ...parts: readonly string[]): string;
}

// ---------------------------------------------------------------------------------------------------------
// Ledger and wallets

export interface HistoryEntry {
  transferId: string;
  accountId: string;
  currency: string;
  direction: 'debit' | 'credit';
  amount: number;
  code: Transfer['code'];
  /** `posted` for direct transfers; a pending transfer's entry moves to posted, voided or expired. */
  status: 'posted' | 'pending' | 'voided' | 'expired';
  counterpartyAccountId: string;
  createdAt: string;
  metadata: Readonly<Record<string, string>>;
}

export interface HistoryPage {
  entries: HistoryEntry[];
  /** Where the next page starts (an adapter position, not yet a client cursor). */
  after?: string;
}

export interface Ledger {
  /** Executes one transfer as one atomic write; the same id again returns the first result. */
  execute(command: TransferCommand): Promise<Transfer>;
  transfer(id: string): Promise<Transfer | undefined>;
  account(id: string): Promise<Account | undefined>;
  /** Every account of a history owner (a wallet's accounts, one per currency), by currency then id. */
  accountsOf(historyOwner: string): Promise<Account[]>;
  /** Newest first. */
  history(historyOwner: string, page: { limit: number; after?: string }): Promise<HistoryPage>;
}

export interface Wallet {
  walletId: string;
  userId: string;
  createdAt: string;
}

export interface WalletDirectory {
  /** The user's wallet, created on first use (a race creates exactly one). */
  ensure(userId: string): Promise<Wallet>;
  find(userId: string): Promise<Wallet | undefined>;
}

/** Matrix room membership, from the homeserver. */
export interface RoomDirectory {
  joinedMembers(roomId: string): Promise<ReadonlySet<string>>;
}
