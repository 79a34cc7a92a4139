import {
  type BusEvent,
  type PublishedRoomEvent,
  publishToRoom,
  type RoomMessenger,
} from '../../../shared/app/publish-to-room.js';
import { ValidationError } from '../../../shared/domain/errors.js';
import {
  type DomainEventType,
  domainEventId,
  domainEventTypes,
  UnknownDomainEventError,
} from '../../../shared/domain/events.js';

const ROOM = '!chat:tween.example';
const ALICE = '@alice:tween.example';
const BOB = '@bob:tween.example';
const AT = '2030-01-01T10:00:00.000Z';

interface Sent {
  roomId: string;
  eventType: string;
  txnId: string;
  content: Readonly<Record<string, unknown>>;
}

/** An in-memory room service that remembers what was sent and dedupes on (room, txnId) as Matrix does. */
class FakeRoomMessenger implements RoomMessenger {
  readonly sent: Sent[] = [];
  readonly #byTxn = new Map<string, string>();

  async send(
    roomId: string,
    eventType: string,
    txnId: string,
    content: Readonly<Record<string, unknown>>,
  ): Promise<{ eventId: string }> {
    const key = `${roomId} ${txnId}`;
    const previous = this.#byTxn.get(key);
    if (previous !== undefined) return { eventId: previous };
    const eventId = `$event${this.sent.length + 1}`;
    this.sent.push({ roomId, eventType, txnId, content });
    this.#byTxn.set(key, eventId);
    return { eventId };
  }
}

function envelope(type: DomainEventType, id: string) {
  return { eventId: domainEventId(type, id), occurredAt: AT, roomId: ROOM };
}

/**
 * `payment.failed` and the merchant events (`payment_intent.*`, `customer.created`, `refund.*`, `payout.*`,
 * `merchant.updated`, and the billing events) go to audit and merchants only: the contract has no room event for them.
 */
type MerchantOnlyEventType =
  | 'payment.failed'
  | 'customer.created'
  | 'merchant.updated'
  | `payment_intent.${string}`
  | `refund.${string}`
  | `payout.${string}`
  | `invoice.${string}`
  | `customer.subscription.${string}`
  | `checkout.session.${string}`;
type RoomBoundEventType = Exclude<DomainEventType, MerchantOnlyEventType>;
const merchantOnlyPrefixes = [
  'payment_intent.',
  'refund.',
  'payout.',
  'invoice.',
  'customer.subscription.',
  'checkout.session.',
];
const roomBoundEventTypes = domainEventTypes.filter(
  (type): type is RoomBoundEventType =>
    type !== 'payment.failed' &&
    type !== 'customer.created' &&
    type !== 'merchant.updated' &&
    !merchantOnlyPrefixes.some((prefix) => type.startsWith(prefix)),
);

/** One valid detail per room-bound detail-type, and the room event it must become. */
const cases: Record<RoomBoundEventType, { detail: Record<string, unknown>; type: string; content: unknown }> =
  {
    'payment.completed': {
      detail: {
        ...envelope('payment.completed', 'pay_1'),
        paymentId: 'pay_1',
        userId: ALICE,
        appId: 'ma_shop',
        amount: { value: 1050, currency: 'USD' },
        description: 'Order #12',
        completedAt: AT,
      },
      type: 'm.tween.payment.completed',
      content: {
        payment_id: 'pay_1',
        payer: { user_id: ALICE },
        app_id: 'ma_shop',
        amount: 1050,
        currency: 'USD',
        description: 'Order #12',
        completed_at: AT,
      },
    },
    'p2p.initiated': {
      detail: {
        ...envelope('p2p.initiated', 'p2p_1'),
        transferId: 'p2p_1',
        amount: 5000,
        currency: 'USD',
        sender: ALICE,
        recipient: BOB,
        note: 'Lunch',
        expiresAt: '2030-01-02T10:00:00.000Z',
      },
      type: 'm.tween.wallet.p2p',
      content: {
        transfer_id: 'p2p_1',
        status: 'pending_recipient_acceptance',
        amount: 5000,
        currency: 'USD',
        sender: { user_id: ALICE },
        recipient: { user_id: BOB },
        note: 'Lunch',
        expires_at: '2030-01-02T10:00:00.000Z',
      },
    },
    'p2p.completed': {
      detail: { ...envelope('p2p.completed', 'p2p_1'), transferId: 'p2p_1', status: 'completed' },
      type: 'm.tween.wallet.p2p.status',
      content: { transfer_id: 'p2p_1', status: 'completed' },
    },
    'p2p.rejected': {
      detail: { ...envelope('p2p.rejected', 'p2p_1'), transferId: 'p2p_1' },
      type: 'm.tween.wallet.p2p.status',
      content: { transfer_id: 'p2p_1', status: 'rejected' },
    },
    'p2p.cancelled': {
      detail: { ...envelope('p2p.cancelled', 'p2p_1'), transferId: 'p2p_1' },
      type: 'm.tween.wallet.p2p.status',
      content: { transfer_id: 'p2p_1', status: 'cancelled' },
    },
    'p2p.expired': {
      detail: { ...envelope('p2p.expired', 'p2p_1'), transferId: 'p2p_1' },
      type: 'm.tween.wallet.p2p.status',
      content: { transfer_id: 'p2p_1', status: 'expired' },
    },
    'gift.created': {
      detail: {
        ...envelope('gift.created', 'gift_1'),
        giftId: 'gift_1',
        creator: ALICE,
        totalAmount: 10000,
        currency: 'USD',
        count: 10,
        distribution: 'random',
        message: 'Happy Friday',
        expiresAt: '2030-01-02T10:00:00.000Z',
      },
      type: 'm.tween.gift',
      content: {
        gift_id: 'gift_1',
        type: 'group',
        status: 'active',
        total_amount: 10000,
        currency: 'USD',
        count: 10,
        remaining: 10,
        distribution: 'random',
        message: 'Happy Friday',
        creator: { user_id: ALICE },
        expires_at: '2030-01-02T10:00:00.000Z',
      },
    },
    'gift.opened': {
      detail: {
        eventId: domainEventId('gift.opened', 'gift_1', BOB),
        occurredAt: AT,
        roomId: ROOM,
        giftId: 'gift_1',
        userId: BOB,
        amount: 1250,
        currency: 'USD',
        remaining: 7,
      },
      type: 'm.tween.gift.opened',
      content: { gift_id: 'gift_1', user_id: BOB, amount: 1250, currency: 'USD', remaining: 7 },
    },
    'gift.expired': {
      detail: {
        ...envelope('gift.expired', 'gift_1'),
        giftId: 'gift_1',
        remaining: 3,
        refundedAmount: 2500,
        currency: 'USD',
      },
      type: 'm.tween.gift',
      content: { gift_id: 'gift_1', status: 'expired', remaining: 3, refunded_amount: 2500, currency: 'USD' },
    },
  };

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

describe('Function: publishToRoom', () => {
  it('has a case for every detail-type of the contract but payment.failed and customer.created', () => {
    // Assert
    expect(Object.keys(cases).sort()).toEqual([...roomBoundEventTypes].sort());
    expect(domainEventTypes).toContain('payment.failed');
    expect(domainEventTypes).toContain('customer.created');
  });

  it('posts no payment.failed to a room, even one carrying a roomId: the contract has no room event for it', async () => {
    // Arrange
    const messenger = new FakeRoomMessenger();
    const detail = {
      ...envelope('payment.failed', 'pay_1'),
      paymentId: 'pay_1',
      userId: ALICE,
      appId: 'ma_shop',
      amount: { value: 1050, currency: 'USD' },
      failureCode: 'card_declined',
    };

    // Act
    const error = await failureOf(publishToRoom({ detailType: 'payment.failed', detail }, messenger));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect(messenger.sent).toEqual([]);
  });

  it.each(roomBoundEventTypes.map((type) => [type, cases[type]] as const))(
    'sends %s to its room with the mapped event type and content, the domain event id as txnId',
    async (detailType, { detail, type, content }) => {
      // Arrange
      const messenger = new FakeRoomMessenger();

      // Act
      const published = await publishToRoom({ detailType, detail }, messenger);

      // Assert
      expect(messenger.sent).toEqual([{ roomId: ROOM, eventType: type, txnId: detail.eventId, content }]);
      expect(published).toEqual<PublishedRoomEvent>({
        roomId: ROOM,
        type: type as PublishedRoomEvent['type'],
        txnId: detail.eventId as string,
        eventId: '$event1',
      });
    },
  );

  it('sends a null note and message when the emitter left them out', async () => {
    // Arrange
    const messenger = new FakeRoomMessenger();
    const { note: _note, ...transfer } = cases['p2p.initiated'].detail;
    const { message: _message, ...gift } = cases['gift.created'].detail;

    // Act
    await publishToRoom({ detailType: 'p2p.initiated', detail: transfer }, messenger);
    await publishToRoom({ detailType: 'gift.created', detail: gift }, messenger);

    // Assert
    expect(messenger.sent.map((sent) => [sent.content.note, sent.content.message])).toEqual([
      [null, undefined],
      [undefined, null],
    ]);
  });

  it('posts once when the same domain event is delivered twice', async () => {
    // Arrange
    const messenger = new FakeRoomMessenger();
    const event: BusEvent = { detailType: 'payment.completed', detail: cases['payment.completed'].detail };

    // Act
    const first = await publishToRoom(event, messenger);
    const second = await publishToRoom(structuredClone(event), messenger);

    // Assert
    expect(messenger.sent).toHaveLength(1);
    expect(second).toEqual(first);
  });

  it('throws UnknownDomainEventError and sends nothing when the detail-type is not in the contract', async () => {
    // Arrange
    const messenger = new FakeRoomMessenger();

    // Act
    const error = await failureOf(
      publishToRoom({ detailType: 'payment.teleported', detail: { eventId: 'x', roomId: ROOM } }, messenger),
    );

    // Assert
    expect(error).toBeInstanceOf(UnknownDomainEventError);
    expect(error).toMatchObject({ detailType: 'payment.teleported' });
    expect(messenger.sent).toEqual([]);
  });

  it.each([
    ['an amount in a string', { amount: { value: '10.50', currency: 'USD' } }, 'amount.value'],
    ['a fractional amount', { amount: { value: 10.5, currency: 'USD' } }, 'amount.value'],
    ['a lower-case currency', { amount: { value: 1050, currency: 'usd' } }, 'amount.currency'],
    ['no payment id', { paymentId: undefined }, 'paymentId'],
    ['no event id', { eventId: undefined }, 'eventId'],
    ['a room id that is not one', { roomId: 'chat' }, 'roomId'],
    ['a null room id', { roomId: null }, 'roomId'],
    ['a date that is not ISO 8601', { occurredAt: 'yesterday' }, 'occurredAt'],
  ])('throws ValidationError naming the field when the detail has %s', async (_name, change, path) => {
    // Arrange
    const messenger = new FakeRoomMessenger();
    const detail = { ...cases['payment.completed'].detail, ...change };

    // Act
    const error = await failureOf(publishToRoom({ detailType: 'payment.completed', detail }, messenger));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toMatchObject({
      detailType: 'payment.completed',
      issues: expect.arrayContaining([expect.objectContaining({ path })]),
    });
    expect(JSON.stringify((error as ValidationError).details)).not.toContain('10.50');
    expect(messenger.sent).toEqual([]);
  });

  it('throws ValidationError when the detail is not an object', async () => {
    // Arrange
    const messenger = new FakeRoomMessenger();

    // Act
    const error = await failureOf(publishToRoom({ detailType: 'p2p.expired', detail: 'p2p_1' }, messenger));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect(messenger.sent).toEqual([]);
  });

  it('throws ValidationError rather than dropping the event when a valid detail has no roomId', async () => {
    // Arrange
    const messenger = new FakeRoomMessenger();
    const { roomId: _roomId, ...detail } = cases['p2p.completed'].detail;

    // Act
    const error = await failureOf(publishToRoom({ detailType: 'p2p.completed', detail }, messenger));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toMatchObject({ issues: [{ path: 'roomId' }] });
    expect(messenger.sent).toEqual([]);
  });

  it('passes the error of the room service on when it fails', async () => {
    // Arrange
    const failure = new Error('homeserver down');
    const messenger: RoomMessenger = { send: () => Promise.reject(failure) };

    // Act
    const error = await failureOf(
      publishToRoom({ detailType: 'p2p.expired', detail: cases['p2p.expired'].detail }, messenger),
    );

    // Assert
    expect(error).toBe(failure);
  });
});

describe('Function: domainEventId', () => {
  it('returns the same id for the same event every time', () => {
    // Act & Assert
    expect(domainEventId('payment.completed', 'pay_1')).toBe('payment.completed:pay_1');
    expect(domainEventId('gift.opened', 'gift_1', BOB)).toBe(`gift.opened:gift_1:${BOB}`);
  });
});
