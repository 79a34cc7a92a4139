/**
 * State and money are one fact (API.md): on every read the soak makes of a payment, a transfer or a gift,
 * the entity's money is read from the ledger just before and just after it. A state that shows the money
 * moved (completed, failed, rejected, expired…) must find that money moved in the read after it, and money
 * that had moved in the read before must find the entity in the state it belongs to. Money only ever moves
 * forwards, so the two reads bracket the entity read: any disagreement is a real one.
 *
 * The money of each entity is its own ledger transfer, read by id: a wallet payment's hold (posted on
 * completion, voided on failure or cancellation), a card or PayPal payment's capture (provider clearing to
 * the app, posted on completion, never on failure), a P2P transfer's reservation (posted when completed,
 * voided when rejected or cancelled, voided or expired when it expired), a gift's refund on expiry.
 */
import type { DynamoDbLedger } from '../../../shared/adapters/dynamodb/ledger.js';
import { giftTransferIds } from '../../../shared/domain/gift.js';
import { p2pTransferIds } from '../../../shared/domain/p2p.js';
import { paymentTransferIds } from '../../../shared/domain/payment.js';
import { localLedger } from '../../support/ledger.js';
import type { Answer } from './soak-client.js';

/** What the ledger says of an entity's money: its transfer's state, `posted` for a direct one, or `none`. */
type Money = 'none' | 'pending' | 'posted' | 'voided' | 'expired';

interface Rule {
  /** The ledger transfer that carries the entity's money. */
  transferId: (id: string) => string;
  /** The money the entity's state stands for, or undefined while its state moves no money yet. */
  moneyOf: (body: Record<string, unknown>) => readonly Money[] | undefined;
  /** The money has moved (a state must show it). */
  moved: (money: Money) => boolean;
  /** Whether the rule applies to this entity at all (a card payment has no hold). */
  applies?: (body: Record<string, unknown>) => boolean;
}

const resolved = (money: Money) => money === 'posted' || money === 'voided' || money === 'expired';

const RULES: readonly { path: RegExp; name: string; rule: Rule }[] = [
  {
    path: /^\/api\/v1\/payments\/([^/?]+)$/,
    name: 'payment',
    rule: {
      transferId: paymentTransferIds.hold,
      applies: (body) => (body.paymentMethod as { type?: string } | undefined)?.type === 'wallet',
      moneyOf: (body) => {
        switch (body.state) {
          case 'Completed':
          case 'Refunded':
            return ['posted'];
          case 'Failed':
            // No hold when it failed before one was made (insufficient funds); a lapsed hold expired.
            return ['none', 'voided', 'expired'];
          default:
            return undefined;
        }
      },
      moved: resolved,
    },
  },
  {
    path: /^\/api\/v1\/payments\/([^/?]+)$/,
    name: 'card payment',
    rule: {
      transferId: paymentTransferIds.capture,
      applies: (body) => (body.paymentMethod as { type?: string } | undefined)?.type !== 'wallet',
      moneyOf: (body) => {
        switch (body.state) {
          case 'Completed':
          case 'Refunded':
            return ['posted'];
          case 'Failed':
            return ['none'];
          default:
            return undefined;
        }
      },
      moved: (money) => money === 'posted',
    },
  },
  {
    path: /^\/wallet\/v1\/p2p\/([^/?]+)$/,
    name: 'transfer',
    rule: {
      transferId: p2pTransferIds.hold,
      moneyOf: (body) => {
        switch (body.status) {
          case 'completed':
            return ['posted'];
          case 'rejected':
          case 'cancelled':
            return ['voided'];
          case 'expired':
            return ['voided', 'expired'];
          default:
            return undefined;
        }
      },
      moved: resolved,
    },
  },
  {
    path: /^\/wallet\/v1\/gift\/([^/?]+)$/,
    name: 'gift',
    rule: {
      transferId: giftTransferIds.refund,
      moneyOf: (body) => {
        if (body.status !== 'expired') return undefined;
        return Number(body.refunded_amount ?? 0) > 0 ? ['posted'] : ['none'];
      },
      moved: (money) => money === 'posted',
    },
  },
];

export class AgreementCheck {
  readonly problems: string[] = [];
  readonly #ledger: DynamoDbLedger;
  #reads = 0;

  constructor(ledger: DynamoDbLedger = localLedger()) {
    this.#ledger = ledger;
  }

  /** How many entity reads were checked. */
  get reads(): number {
    return this.#reads;
  }

  /** Sends the request; a read of a payment, transfer or gift is bracketed by two reads of its money. */
  async around<T>(method: string, path: string, send: () => Promise<Answer<T>>): Promise<Answer<T>> {
    // Every rule of the path (a payment's hold and its capture: which one applies, its body says).
    const matches =
      method === 'GET'
        ? RULES.map((r) => ({ ...r, id: r.path.exec(path)?.[1] ?? '' })).filter((r) => r.id !== '')
        : [];
    if (matches.length === 0) return send();
    const transferIds = matches.map((match) => match.rule.transferId(decodeURIComponent(match.id)));
    const before = await Promise.all(transferIds.map((id) => this.#money(id)));
    const answer = await send();
    const after = await Promise.all(transferIds.map((id) => this.#money(id)));
    if (answer.status !== 200) return answer;
    const body = answer.body as Record<string, unknown>;
    matches.forEach((match, index) => {
      if (match.rule.applies !== undefined && !match.rule.applies(body)) return;
      this.#check(match, body, before[index] ?? 'none', after[index] ?? 'none');
    });
    return answer;
  }

  #check(
    match: { name: string; id: string; rule: Rule },
    body: Record<string, unknown>,
    before: Money,
    after: Money,
  ): void {
    this.#reads += 1;
    const state = String(body.state ?? body.status);
    const expected = match.rule.moneyOf(body);
    if (match.rule.moved(before) && expected === undefined) {
      this.problems.push(`${match.name} ${match.id}: its money was ${before}, then it read ${state}`);
    }
    if (expected !== undefined && !expected.includes(after)) {
      this.problems.push(`${match.name} ${match.id}: it read ${state}, then its money was ${after}`);
    }
  }

  async #money(transferId: string): Promise<Money> {
    const transfer = await this.#ledger.transfer(transferId);
    if (transfer === undefined) return 'none';
    return transfer.type === 'pending' ? (transfer.state ?? 'pending') : 'posted';
  }
}
