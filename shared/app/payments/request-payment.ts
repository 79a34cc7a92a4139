import { volumeMonth } from '../../domain/balance.js';
import { NotRoomMemberError } from '../../domain/errors.js';
import { InsufficientFundsError, type TransferCommand } from '../../domain/ledger.js';
import { MfaNotEnrolledError, mfaRequired } from '../../domain/mfa.js';
import type { CurrencyPolicy } from '../../domain/money.js';
import {
  afterSteps,
  type Payment,
  type PaymentMethod,
  paymentTransferOf,
  settlementOf,
  walletRequestSteps,
} from '../../domain/payment.js';
import { completionFields, type MerchantLedgerDeps, merchantChargeFor } from '../balance/charge.js';
import { type CardOwnershipDeps, ownedCard } from '../customers.js';
import { type LiveAppCache, liveAppOf } from '../merchants/live-app.js';
import type { Apps, Merchants } from '../merchants/ports.js';
import type { MfaEnrolment } from '../mfa/ports.js';
import type { Clock, Ids, Ledger, RoomDirectory, WalletDirectory } from '../ports.js';
import { paymentCompletedDetail } from './events.js';
import type { PaymentPolicy } from './policy.js';
import type {
  PaymentRepository,
  PaymentTransition,
  ProviderCustomers,
  WalletPaymentReads,
  Workflows,
} from './ports.js';

export interface RequestPaymentDeps {
  payments: PaymentRepository;
  wallets: WalletDirectory;
  ledger: Ledger;
  workflows: Workflows;
  mfa: MfaEnrolment;
  provider: CardOwnershipDeps['provider'];
  customers: ProviderCustomers;
  /** Whether the payer is in the room the payment is to be announced in. */
  rooms: RoomDirectory;
  /** The app the payment names, and its merchant: only a live app of an active merchant takes payments. */
  apps: Pick<Apps, 'get'>;
  merchants: Pick<Merchants, 'get'>;
  /** Keeps the yes of that check in process for a short while (live-app.ts says why a yes stays true). */
  liveApps?: LiveAppCache;
  currencies: CurrencyPolicy;
  policy: PaymentPolicy;
  ids: Ids;
  clock: Clock;
  merchantLedger?: MerchantLedgerDeps;
  /** Reads a settling wallet payment's wallet and fee volume in one request; without it, one by one. */
  walletPaymentReads?: WalletPaymentReads;
}

export interface RequestPaymentCommand {
  userId: string;
  idempotencyKey: string;
  appId: string;
  amount: { value: unknown; currency: unknown };
  paymentMethod: PaymentMethod;
  description: string;
  metadata: Readonly<Record<string, string>>;
  roomId?: string;
}

/**
 * 0. The app must be a live app of an active merchant (liveAppOf), else NOT_FOUND (404) before anything is
 *    read or written: wallets hold real money, and test mode is for the merchant API's test cards.
 *    A payment announced in a room (`roomId`) is the payer's to announce only in a room they have joined:
 *    else NOT_ROOM_MEMBER (403), so nobody makes the bot post into a room they are not in.
 * 1. Accept the amount in an enabled currency; decide whether MFA is required (threshold or velocity),
 *    and refuse with MFA_REQUIRED (428) when it is but the payer has no factor enrolled.
 * 2. A card must be the payer's: attached to their own customer at the processor, or attached to it now
 *    if nobody owns it (ownedCard). An unknown card, or another user's, is a 400 before anything is stored,
 *    held or charged.
 * 3. A wallet payment is recorded with its money in one write (recordWalletPayment), under an id derived
 *    from caller and Idempotency-Key. Needing no MFA it never waits: it settles in this request, payment,
 *    money and `payment.completed` together, and no lifecycle is started. Needing MFA it is recorded
 *    MFA_Required with its hold (a pending transfer to the app), so the money cannot be spent twice while
 *    MFA waits. Either way the payer learns of insufficient funds at once (402).
 * 4. A card or PayPal payment is recorded Initiated, with the card and customer to charge, then validated
 *    and Authorized.
 * 5. MFA_Required or Authorized: start the lifecycle (named by the payment id), which waits for the second
 *    factor if needed, processes the payment and announces the outcome. A retried request resumes the same
 *    payment from wherever it stopped.
 * No read comes before the first write: the writes are conditional on the payment's absence, and a
 * retried request finds its payment when that condition fails.
 */
export async function requestPayment(
  command: RequestPaymentCommand,
  deps: RequestPaymentDeps,
): Promise<Payment> {
  // The app's merchant is paid (merchantChargeFor).
  const { merchant } = await liveAppOf(command.appId, deps);
  const money = deps.currencies.money(command.amount.value, command.amount.currency);
  const paymentId = deps.ids.derive('pay_', command.userId, command.idempotencyKey);
  if (command.roomId !== undefined) await assertJoined(command.userId, command.roomId, deps.rooms);
  const now = deps.clock.now();
  const since = new Date(now.getTime() - 3_600_000).toISOString();
  const needsMfa = mfaRequired({
    amount: money.amount,
    currency: money.currency,
    thresholds: deps.policy.mfaThresholds,
    paymentsInLastHour: await deps.payments.countSince(command.userId, since),
    velocityLimit: deps.policy.mfaVelocityLimit,
  });
  if (needsMfa && (await deps.mfa.methodsOf(command.userId)).length === 0) {
    // A retry of a payment already recorded (which the velocity count now includes) resumes it.
    const stored = await deps.payments.get(paymentId);
    if (stored === undefined) throw new MfaNotEnrolledError();
    return advance(stored, deps);
  }
  const owned =
    command.paymentMethod.type === 'card'
      ? await ownedCard(command.userId, command.paymentMethod.id, paymentId, deps)
      : undefined;
  const at = now.toISOString();
  const merchantId = merchant.merchantId;
  // A wallet payment that settles now needs the fee volume too: both are read in one request.
  const settlesNow = command.paymentMethod.type === 'wallet' && !needsMfa;
  const read =
    settlesNow && deps.walletPaymentReads !== undefined
      ? await deps.walletPaymentReads.walletAndVolume(command.userId, merchantId, volumeMonth(now))
      : undefined;
  // Every payer's history lists their payments, card and PayPal ones too: the wallet is where it is kept.
  const wallet = read?.wallet ?? (await deps.wallets.ensure(command.userId));
  const draft: Payment = {
    paymentId,
    userId: command.userId,
    appId: command.appId,
    amount: { value: money.amount, currency: money.currency },
    paymentMethod: command.paymentMethod,
    walletId: wallet.walletId,
    description: command.description,
    metadata: command.metadata,
    ...(command.roomId === undefined ? {} : { roomId: command.roomId }),
    merchantId,
    ...(owned?.customerId === undefined ? {} : { customerId: owned.customerId, cardId: owned.card.id }),
    state: 'Initiated',
    mfaRequired: needsMfa,
    refundedAmount: 0,
    history: [{ state: 'Initiated', event: 'created', at, actor: command.userId }],
    createdAt: at,
    updatedAt: at,
  };
  if (draft.paymentMethod.type === 'wallet') return recordWalletPayment(draft, deps, read?.volume);
  return advance(await deps.payments.create(draft), deps);
}

/**
 * A wallet payment is written once, with its money, through the same protocol steps the request and the
 * lifecycle would take one by one: below the MFA threshold Initiated to Completed, its settlement posted
 * and its `payment.completed` in the outbox (nothing waits, so no lifecycle); above it MFA_Required with
 * its hold, and the lifecycle started to wait for the second factor. Refused for want of funds, it is
 * recorded Failed (insufficient_funds) and the refusal is the answer. A payment already stored under the
 * id (a retry, a concurrent twin) is answered as it stands, or resumed.
 */
async function recordWalletPayment(
  draft: Payment,
  deps: RequestPaymentDeps,
  volume: number | undefined,
): Promise<Payment> {
  const at = draft.createdAt;
  try {
    if (draft.mfaRequired) {
      const held = afterSteps(draft, walletRequestSteps(draft.userId, 'mfa_required'), at);
      return await advance(await deps.payments.createWith(held, await holdOf(held, deps)), deps);
    }
    const charge = await merchantChargeFor(draft, new Date(at), deps.merchantLedger, volume);
    const completed: Payment = {
      ...afterSteps(draft, walletRequestSteps(draft.userId, 'completed'), at),
      completedAt: at,
      ...completionFields(charge),
    };
    const transfer = settlementOf(completed, await walletOf(completed, deps));
    const event = { detailType: 'payment.completed' as const, detail: paymentCompletedDetail(completed) };
    return await advance(await deps.payments.createWith(completed, transfer, event, charge), deps);
  } catch (error) {
    if (!(error instanceof InsufficientFundsError)) throw error;
    const refused: Payment = {
      ...afterSteps(draft, walletRequestSteps(draft.userId, 'insufficient_funds'), at),
      failureCode: 'insufficient_funds',
    };
    const stored = await deps.payments.create(refused);
    if (stored.state === 'Failed') throw error;
    return advance(stored, deps);
  }
}

/** Moves a new (or interrupted) payment through validation to the point where the lifecycle takes over. */
async function advance(initial: Payment, deps: RequestPaymentDeps): Promise<Payment> {
  let payment = initial;
  const step = (
    from: Payment['state'],
    event: PaymentTransition['event'],
    set = {},
    ledger?: PaymentTransition['ledger'],
  ) =>
    deps.payments.transition(payment.paymentId, {
      from,
      event,
      actor: payment.userId,
      at: deps.clock.now().toISOString(),
      set,
      ...(ledger === undefined ? {} : { ledger }),
    });

  if (payment.state === 'Initiated') payment = await step('Initiated', 'validate');
  if (payment.state === 'Validating') {
    // A wallet payment's hold is made in the same transaction as the move on: a payment cancelled while
    // Validating never gets a hold, and one that moves on always has it.
    const hold = payment.paymentMethod.type === 'wallet' ? await holdOf(payment, deps) : undefined;
    try {
      payment = await step('Validating', payment.mfaRequired ? 'mfa_required' : 'authorized', {}, hold);
    } catch (error) {
      if ((error as { code?: string }).code !== 'INSUFFICIENT_FUNDS') throw error;
      await step('Validating', 'invalid', { failureCode: 'insufficient_funds' });
      throw error;
    }
  }
  if (payment.state === 'MFA_Required' || payment.state === 'Authorized') {
    await deps.workflows.startPayment(payment.paymentId, {
      paymentId: payment.paymentId,
      mfaRequired: payment.mfaRequired,
      mfaTimeoutSeconds: deps.policy.mfaTimeoutSeconds,
      providerTimeoutSeconds: deps.policy.providerTimeoutSeconds,
    });
  }
  return payment;
}

/** The wallet the payment was recorded with; payments recorded before it was kept name none. */
async function walletOf(payment: Payment, deps: RequestPaymentDeps): Promise<string> {
  return payment.walletId ?? (await deps.wallets.ensure(payment.userId)).walletId;
}

async function assertJoined(userId: string, roomId: string, rooms: RoomDirectory): Promise<void> {
  const members = await rooms.joinedMembers(roomId);
  if (!members.has(userId)) throw new NotRoomMemberError('The payer must be a member of the room');
}

async function holdOf(payment: Payment, deps: RequestPaymentDeps): Promise<TransferCommand> {
  // The hold is the settlement made in two phases: the same id, accounts and amount, posted or voided later.
  // It outlives the longest wait of the lifecycle, so it never lapses under a payment still waiting.
  const holdSeconds = deps.policy.mfaTimeoutSeconds + deps.policy.providerTimeoutSeconds + 3_600;
  return {
    type: 'pending',
    ...paymentTransferOf(payment, await walletOf(payment, deps)),
    timeoutAt: new Date(deps.clock.now().getTime() + holdSeconds * 1000).toISOString(),
  };
}
