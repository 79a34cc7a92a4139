/**
 * The ledger on the single table. Every transfer is ONE TransactWriteItems: the transfer item (its id is
 * the idempotency key: attribute_not_exists), both accounts updated with ADD and conditioned on currency
 * and, where the account may not go negative, on `available` (kept as its own attribute because a condition
 * cannot do arithmetic), and the history entries. Resolving a pending transfer also moves the pending
 * transfer's state under a condition on its current state, so it is posted or voided exactly once.
 */

import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { HistoryEntry, HistoryPage, Ledger } from '../../app/ports.js';
import {
  type Account,
  type AccountRef,
  amountToPost,
  assertResolvable,
  assertValidNewTransfer,
  available,
  byCurrencyThenId,
  debitsMustNotExceedCredits,
  mergePostings,
  type NewTransfer,
  type PendingState,
  PendingTransferNotFoundError,
  type Posting,
  postingsOfNew,
  postingsOfResolution,
  sameTransfer,
  type Transfer,
  type TransferCommand,
  TransferIdReusedError,
} from '../../domain/ledger.js';
import { systemClock } from '../clock.js';
import { retryOnConflict } from './conflicts.js';
import { accountOf, LedgerAccountEntity } from './entities/ledger-account.js';
import { historyPage, ledgerHistoryEntity, resolvedHistoryUpdate } from './entities/ledger-history.js';
import { LedgerTransferEntity, toStoredTransfer, transferOf } from './entities/ledger-transfer.js';
import { ABSENT } from './entity.js';
import { accountIndexKey, accountKey, accountsOfOwnerPartition, transferKey } from './keys.js';
import {
  CompanionConditionFailedError,
  explainCancellation,
  isConflictOnly,
  TransferAlreadyExecutedError,
} from './ledger-errors.js';
import { transfersById } from './ledger-reads.js';

export {
  CompanionConditionFailedError,
  refusedByLedger,
  TransferAlreadyExecutedError,
} from './ledger-errors.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export class DynamoDbLedger implements Ledger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = systemClock.now,
  ) {}

  async execute(command: TransferCommand): Promise<Transfer> {
    return retryOnConflict(async () => {
      try {
        return command.type === 'post' || command.type === 'pending'
          ? await this.#executeNew(command)
          : await this.#executeResolution(command);
      } catch (error) {
        if (!(error instanceof TransactionCanceledException) || isConflictOnly(error)) throw error;
        const outcome = await explainCancellation(command, error, (id) => this.transfer(id));
        if (outcome instanceof Error) throw outcome;
        return outcome;
      }
    });
  }

  /**
   * Executes a transfer (new, or the resolution of a pending one) together with the caller's own writes
   * (`companions`), in one transaction: the money moves exactly when the companions' state changes do. A
   * companion whose condition fails surfaces as CompanionConditionFailedError naming which ones (checked
   * before the ledger's own conditions, since a companion usually guards the whole change); the ledger's own
   * failures surface as from `execute`. A transfer that already happened is never answered as done here:
   * its companions were not written by this call, so it throws TransferAlreadyExecutedError and the caller
   * decides (the money moved with an earlier write of the same change, or apart from it).
   *
   * `also`: further `post` transfers made in the same transaction (a payment's fees beside its money), so
   * several transfers move together or not at all. Their ids are derived from the main transfer's, so they
   * exist exactly when it does.
   */
  async executeWith(
    command: TransferCommand,
    companions: readonly TransactItem[],
    also: readonly NewTransfer[] = [],
  ): Promise<Transfer> {
    return retryOnConflict(async () => {
      try {
        return command.type === 'post' || command.type === 'pending'
          ? await this.#executeNew(command, companions, also)
          : await this.#executeResolution(command, companions, also);
      } catch (error) {
        if (!(error instanceof TransactionCanceledException) || isConflictOnly(error)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const first = reasons.length - companions.length;
        const failed = companions
          .map((_, index) => index)
          .filter((index) => reasons[first + index]?.Code === 'ConditionalCheckFailed');
        if (failed.length > 0) throw new CompanionConditionFailedError(failed);
        const outcome = await explainCancellation(command, error, (id) => this.transfer(id));
        if (outcome instanceof Error) throw outcome;
        throw new TransferAlreadyExecutedError(outcome);
      }
    });
  }

  async transfer(id: string): Promise<Transfer | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: transferKey(id), ConsistentRead: true }),
    );
    return item === undefined ? undefined : transferOf(item);
  }

  async account(id: string): Promise<Account | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: accountKey(id), ConsistentRead: true }),
    );
    return item === undefined ? undefined : accountOf(item);
  }

  async accountsOf(historyOwner: string): Promise<Account[]> {
    const { Items: items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :owner',
        ExpressionAttributeValues: { ':owner': accountsOfOwnerPartition(historyOwner) },
      }),
    );
    return items.map(accountOf).sort(byCurrencyThenId);
  }

  history(historyOwner: string, page: { limit: number; after?: string }): Promise<HistoryPage> {
    return historyPage(this.client, this.tableName, historyOwner, page);
  }

  async #executeNew(
    command: Extract<TransferCommand, { type: 'post' | 'pending' }>,
    companions: readonly TransactItem[] = [],
    also: readonly NewTransfer[] = [],
  ): Promise<Transfer> {
    const transfer = this.#newTransfer(command);
    const extra = this.#alsoParts(also);
    await this.#write([
      this.#putTransfer(transfer),
      ...this.#merged(postingsOfNew(command.type, command), extra.postings),
      ...this.#newEntries(command, transfer),
      ...extra.items,
      ...companions,
    ]);
    return transfer;
  }

  /**
   * The other transfers of a transaction that moves several (`also`): their transfer items and history
   * entries, and their postings, which are merged with the main transfer's (#merged).
   */
  #alsoParts(also: readonly NewTransfer[]): { items: TransactItem[]; postings: Posting[] } {
    const items: TransactItem[] = [];
    const postings: Posting[] = [];
    for (const command of also) {
      const post = { type: 'post' as const, ...command };
      const transfer = this.#newTransfer(post);
      items.push(this.#putTransfer(transfer), ...this.#newEntries(post, transfer));
      postings.push(...postingsOfNew('post', post));
    }
    return { items, postings };
  }

  /** The accounts' updates, one per account (see mergePostings), the main transfer's first. */
  #merged(main: readonly Posting[], others: readonly Posting[]): TransactItem[] {
    return mergePostings([...main, ...others]).map((posting) => this.#updateAccount(posting));
  }

  #newEntries(
    command: Extract<TransferCommand, { type: 'post' | 'pending' }>,
    transfer: Transfer,
  ): TransactItem[] {
    const status = command.type === 'pending' ? 'pending' : 'posted';
    return [
      this.#putHistory(transfer, command.debit, 'debit', command.credit.id, status),
      this.#putHistory(transfer, command.credit, 'credit', command.debit.id, status),
      ...(command.listedFor === undefined ? [] : [this.#putListing(transfer, command, status)]),
    ];
  }

  #newTransfer(command: Extract<TransferCommand, { type: 'post' | 'pending' }>): Transfer {
    assertValidNewTransfer(command);
    const createdAt = this.now().toISOString();
    const transfer: Transfer = {
      id: command.id,
      type: command.type,
      debitAccountId: command.debit.id,
      creditAccountId: command.credit.id,
      amount: command.amount,
      currency: command.debit.currency,
      code: command.code,
      createdAt,
      metadata: command.metadata ?? {},
      ...(command.type === 'pending'
        ? {
            state: 'pending' as const,
            ...(command.timeoutAt === undefined ? {} : { timeoutAt: command.timeoutAt }),
          }
        : {}),
    };
    return transfer;
  }

  async #executeResolution(
    command: Extract<TransferCommand, { type: 'post_pending' | 'void_pending' }>,
    companions: readonly TransactItem[] = [],
    also: readonly NewTransfer[] = [],
  ): Promise<Transfer> {
    const [existing, pending] = await transfersById(this.client, this.tableName, [
      command.id,
      command.pendingId,
    ]);
    if (existing !== undefined) {
      const replayed = this.#replay(existing, command);
      if (companions.length > 0 || also.length > 0) throw new TransferAlreadyExecutedError(replayed);
      return replayed;
    }
    if (pending === undefined) throw new PendingTransferNotFoundError(command.pendingId);
    const posting = command.type === 'post_pending';
    assertResolvable(pending, posting ? 'post' : 'void', this.now());
    const postAmount = posting ? amountToPost(pending, command.amount) : 0;
    const [debitAccount, creditAccount] = await Promise.all([
      this.#accountRef(pending.debitAccountId),
      this.#accountRef(pending.creditAccountId),
    ]);
    const newState: PendingState = posting ? 'posted' : command.reason;
    const resolution: Transfer = {
      id: command.id,
      type: command.type,
      debitAccountId: pending.debitAccountId,
      creditAccountId: pending.creditAccountId,
      amount: posting ? postAmount : pending.amount,
      currency: pending.currency,
      code: pending.code,
      createdAt: this.now().toISOString(),
      metadata: pending.metadata,
      pendingId: pending.id,
    };
    const extra = this.#alsoParts(also);
    const postings = postingsOfResolution(pending, debitAccount, creditAccount, postAmount);
    await this.#write([
      this.#putTransfer(resolution),
      {
        Update: {
          TableName: this.tableName,
          Key: transferKey(pending.id),
          UpdateExpression: 'SET #state = :new, postedAmount = :posted, resolvedBy = :by',
          ConditionExpression: '#state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':new': newState,
            ':posted': postAmount,
            ':by': command.id,
            ':pending': 'pending',
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      ...this.#merged(postings, extra.postings),
      resolvedHistoryUpdate(this.tableName, pending, debitAccount, 'debit', newState, postAmount),
      resolvedHistoryUpdate(this.tableName, pending, creditAccount, 'credit', newState, postAmount),
      ...extra.items,
      ...companions,
    ]);
    return resolution;
  }

  async #write(items: TransactItem[]): Promise<void> {
    await this.client.send(new TransactWriteCommand({ TransactItems: items }));
  }

  #putTransfer(transfer: Transfer): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: LedgerTransferEntity.toItem(toStoredTransfer(transfer)),
        ConditionExpression: ABSENT,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  /** ADDs the posting's deltas; creates the account on first use; refuses overdraft and currency mix-ups. */
  #updateAccount({ account, delta }: Posting): TransactItem {
    const availableDelta = available(delta);
    const spends = delta.debitsPosted + delta.debitsPending > 0 && debitsMustNotExceedCredits(account.kind);
    const index = accountIndexKey(account.historyOwner, account.currency);
    return {
      Update: {
        TableName: this.tableName,
        Key: accountKey(account.id),
        UpdateExpression:
          'SET #type = :type, #kind = if_not_exists(#kind, :kind), currency = if_not_exists(currency, :currency), ' +
          'historyOwner = if_not_exists(historyOwner, :owner), GSI1PK = if_not_exists(GSI1PK, :gsi1pk), ' +
          'GSI1SK = if_not_exists(GSI1SK, :gsi1sk) ' +
          'ADD debitsPosted :dp, creditsPosted :cp, debitsPending :dq, creditsPending :cq, available :av, version :one',
        ConditionExpression: spends
          ? 'currency = :currency AND available >= :need'
          : 'attribute_not_exists(currency) OR currency = :currency',
        ExpressionAttributeNames: { '#type': 'type', '#kind': 'kind' },
        ExpressionAttributeValues: {
          ':type': LedgerAccountEntity.type,
          ':kind': account.kind,
          ':currency': account.currency,
          ':owner': account.historyOwner,
          ':gsi1pk': index.GSI1PK,
          ':gsi1sk': index.GSI1SK,
          ':dp': delta.debitsPosted,
          ':cp': delta.creditsPosted,
          ':dq': delta.debitsPending,
          ':cq': delta.creditsPending,
          ':av': availableDelta,
          ':one': 1,
          ...(spends ? { ':need': -availableDelta } : {}),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  #putHistory(
    transfer: Transfer,
    account: AccountRef,
    side: 'debit' | 'credit',
    counterpartyAccountId: string,
    status: HistoryEntry['status'],
  ): TransactItem {
    const entry: HistoryEntry = {
      transferId: transfer.id,
      accountId: account.id,
      currency: transfer.currency,
      direction: side,
      amount: transfer.amount,
      code: transfer.code,
      status,
      counterpartyAccountId,
      createdAt: transfer.createdAt,
      metadata: transfer.metadata,
    };
    // Written once, inside the transfer's transaction: a history entry is never versioned.
    const history = ledgerHistoryEntity(account.historyOwner);
    return {
      Put: { TableName: this.tableName, Item: { ...history.key(entry), type: history.type, ...entry } },
    };
  }

  /** The entry of a party listed on the transfer (a card payer): on their side, against the other account. */
  #putListing(
    transfer: Transfer,
    command: Extract<TransferCommand, { type: 'post' | 'pending' }>,
    status: HistoryEntry['status'],
  ): TransactItem {
    const party = command.listedFor;
    if (party === undefined) throw new Error(`Transfer ${transfer.id} lists nobody`);
    const [own, other] =
      party.direction === 'debit' ? [command.debit, command.credit] : [command.credit, command.debit];
    return this.#putHistory(
      transfer,
      { ...own, historyOwner: party.historyOwner },
      party.direction,
      other.id,
      status,
    );
  }

  async #accountRef(id: string): Promise<AccountRef> {
    const account = await this.account(id);
    if (account === undefined) throw new Error(`Ledger account ${id} of a pending transfer is missing`);
    return account;
  }

  #replay(existing: Transfer, command: TransferCommand): Transfer {
    if (!sameTransfer(existing, command)) throw new TransferIdReusedError(command.id);
    return existing;
  }
}
