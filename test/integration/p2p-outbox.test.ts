import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { outboxKey } from '../../shared/adapters/dynamodb/keys.js';
import { DynamoDbP2pTransfers } from '../../shared/adapters/dynamodb/p2p-transfers.js';
import { domainEventId } from '../../shared/domain/events.js';
import type { TransferCommand } from '../../shared/domain/ledger.js';
import { type P2pTransfer, PENDING, p2pTransferIds, settlementOf } from '../../shared/domain/p2p.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { at, availableOf, fundedWallet, unique } from '../contract/subject.js';
import { createLocalTable, ledgerProblems, localDocumentClient, localLedger } from '../support/ledger.js';

const TABLE_NAME = `${tableDefinition.localName}-p2p-outbox`;
const client = localDocumentClient();
const ledger = localLedger(client, undefined, TABLE_NAME);
const transfers = new DynamoDbP2pTransfers(client, TABLE_NAME, ledger);
const ROOM = '!room:outbox.example';

async function outboxEvent(eventId: string): Promise<Record<string, unknown> | undefined> {
  const { Item: item } = await client.send(
    new GetCommand({ TableName: TABLE_NAME, Key: outboxKey(eventId), ConsistentRead: true }),
  );
  return item;
}

/** A new transfer of 300 from a wallet holding 1000, and its reservation (not yet made). */
async function newTransfer(): Promise<{
  transfer: P2pTransfer;
  reservation: Extract<TransferCommand, { type: 'pending' }>;
}> {
  const sender = await fundedWallet(ledger, 1000);
  const recipient = await fundedWallet(ledger, 0);
  const transfer: P2pTransfer = {
    transferId: unique('p2p_'),
    status: PENDING,
    amount: 300,
    currency: 'USD',
    sender: { userId: '@alice:outbox.example', walletId: sender.historyOwner },
    recipient: { userId: '@bob:outbox.example', walletId: recipient.historyOwner },
    note: 'Lunch',
    roomId: ROOM,
    expiresAt: at(100),
    createdAt: at(0),
  };
  const reservation: Extract<TransferCommand, { type: 'pending' }> = {
    type: 'pending',
    id: p2pTransferIds.hold(transfer.transferId),
    debit: sender,
    credit: recipient,
    amount: transfer.amount,
    code: 'p2p',
  };
  return { transfer, reservation };
}

describe('Outbox: P2P events (DynamoDbP2pTransfers)', () => {
  beforeAll(async () => {
    await createLocalTable(TABLE_NAME);
  });

  afterAll(async () => {
    expect(await ledgerProblems(client, TABLE_NAME)).toEqual([]);
  });

  it('writes p2p.initiated with the transfer and its reservation, once for a retried create', async () => {
    // Arrange
    const { transfer, reservation } = await newTransfer();

    // Act
    await transfers.create(transfer, reservation);
    await transfers.create(transfer, reservation);

    // Assert
    const eventId = domainEventId('p2p.initiated', transfer.transferId);
    expect(await outboxEvent(eventId)).toMatchObject({
      detailType: 'p2p.initiated',
      detail: {
        eventId,
        occurredAt: transfer.createdAt,
        roomId: ROOM,
        transferId: transfer.transferId,
        amount: 300,
        currency: 'USD',
        sender: '@alice:outbox.example',
        recipient: '@bob:outbox.example',
        note: 'Lunch',
        expiresAt: transfer.expiresAt,
      },
    });
    expect(await availableOf(ledger, reservation.debit)).toBe(700);
  });

  it('writes the transfer and p2p.initiated when its reservation was made alone before (a half-way initiate)', async () => {
    // Arrange
    const { transfer, reservation } = await newTransfer();
    await ledger.execute(reservation);

    // Act
    const stored = await transfers.create(transfer, reservation);

    // Assert
    expect(stored).toEqual(transfer);
    expect(await transfers.get(transfer.transferId)).toEqual(transfer);
    expect(await outboxEvent(domainEventId('p2p.initiated', transfer.transferId))).toBeDefined();
    expect(await availableOf(ledger, reservation.debit)).toBe(700);
  });

  it.each([
    ['completed', 700, 300],
    ['rejected', 1000, 0],
    ['cancelled', 1000, 0],
    ['expired', 1000, 0],
  ] as const)('writes p2p.%s with the outcome and its money', async (status, senderFunds, recipientFunds) => {
    // Arrange
    const { transfer, reservation } = await newTransfer();
    await transfers.create(transfer, reservation);

    // Act
    await transfers.decide(
      transfer.transferId,
      status,
      at(10),
      undefined,
      settlementOf(transfer.transferId, status),
    );

    // Assert
    const eventId = domainEventId(`p2p.${status}`, transfer.transferId);
    expect(await outboxEvent(eventId)).toMatchObject({
      detailType: `p2p.${status}`,
      detail: { eventId, occurredAt: at(10), roomId: ROOM, transferId: transfer.transferId, status },
    });
    expect(await availableOf(ledger, reservation.debit)).toBe(senderFunds);
    expect(await availableOf(ledger, reservation.credit)).toBe(recipientFunds);
  });

  it('writes exactly one outcome event when an accept races the expiry', async () => {
    // Arrange
    const { transfer, reservation } = await newTransfer();
    await transfers.create(transfer, reservation);

    // Act
    const [accept, expire] = await Promise.all([
      transfers.decide(
        transfer.transferId,
        'completed',
        at(99),
        at(99),
        settlementOf(transfer.transferId, 'completed'),
      ),
      transfers.decide(
        transfer.transferId,
        'expired',
        at(100),
        undefined,
        settlementOf(transfer.transferId, 'expired'),
      ),
    ]);

    // Assert
    expect([accept.won, expire.won].filter(Boolean)).toHaveLength(1);
    const outcome = accept.won ? 'completed' : 'expired';
    const loser = accept.won ? 'expired' : 'completed';
    expect(await outboxEvent(domainEventId(`p2p.${outcome}`, transfer.transferId))).toBeDefined();
    expect(await outboxEvent(domainEventId(`p2p.${loser}`, transfer.transferId))).toBeUndefined();
    expect(await availableOf(ledger, reservation.credit)).toBe(outcome === 'completed' ? 300 : 0);
  });
});
