/**
 * The soak's mix, decided up front from the seed alone: a list of scripts (a top-up; a payment and its
 * refunds; a P2P transfer and what becomes of it; a gift and who opens it), each with its users, amounts and
 * branches. Only the outcomes depend on timing (who wins a race, whether the wallet still covers it), so a
 * seed replays the same requests.
 */
import { deriveSeed, pick, randomInt, seededRandom, weighted } from '../../../local/faults/random.js';
import type { SoakConfig } from './soak-config.js';

/** USD, minor units: the API's MFA threshold (MFA_THRESHOLDS default) is 5000. */
export const MFA_THRESHOLD = 5_000;
/** What each user's wallet is topped up with before the mix starts. */
export const INITIAL_FUNDING = 20_000;
export const PIN = '482913';
export const WRONG_PIN = '111111';
/** Wrong PINs per user in a run, at most: the fifth failure in an hour locks the payer out of MFA. */
const WRONG_PINS_PER_USER = 2;

export type RefundPlan = 'none' | 'full' | 'partial' | 'partialThenRest' | 'twinFull';
export type Decision =
  | 'accept'
  | 'reject'
  | 'cancel'
  | 'expire'
  | 'acceptVsCancel'
  | 'rejectVsCancel'
  | 'acceptVsReject';

export type Script =
  | { kind: 'topup'; id: number; user: number; amount: number; declined: boolean }
  | {
      kind: 'payment';
      id: number;
      user: number;
      method: 'wallet' | 'card';
      amount: number;
      room: number | undefined;
      declinedCard: boolean;
      wrongPinFirst: boolean;
      refund: RefundPlan;
      /** The soak merchant whose app is paid (soak-merchants.ts), or undefined: the seeded fixture app. */
      merchant: number | undefined;
      /** Of the amount, for a partial refund (0–1). */
      partialShare: number;
    }
  | {
      kind: 'p2p';
      id: number;
      sender: number;
      recipient: number;
      room: number;
      amount: number;
      decision: Decision;
    }
  | {
      kind: 'gift';
      id: number;
      creator: number;
      room: number;
      total: number;
      count: number;
      distribution: 'random' | 'equal';
      expiresInSeconds: number;
      /** Who opens it, in order; more openers than shares leaves some with GIFT_EMPTY. */
      openers: number[];
      /** The first opener tries again: ALREADY_OPENED. */
      reopen: boolean;
    };

/**
 * The most a soak merchant is sent in a run (minor units): below API.md's first fee tier boundary ($10,000 of
 * monthly volume), so every one of its payments is charged the first tier's platform fee whatever order they
 * complete in, and its balance can be computed from the answers. A merchant whose budget is spent is paid no
 * more; the rest go to the fixture app (a longer run adds merchants with SOAK_MERCHANTS).
 */
export const MERCHANT_VOLUME_BUDGET = 1_000_000 - 1;
/** Of the payments, the share sent to a soak merchant's app while one has budget left. */
const MERCHANT_SHARE = 0.6;

const SCRIPT_WEIGHTS = { topup: 14, payment: 18, cardPayment: 10, p2p: 22, gift: 12 };
const REFUND_WEIGHTS: Record<RefundPlan, number> = {
  none: 60,
  full: 12,
  partial: 12,
  partialThenRest: 10,
  twinFull: 6,
};
const DECISION_WEIGHTS: Record<Decision, number> = {
  accept: 40,
  reject: 12,
  cancel: 12,
  expire: 16,
  acceptVsCancel: 8,
  rejectVsCancel: 6,
  acceptVsReject: 6,
};

/** Operations a script makes (setup and observing GETs are not operations). */
export function operationsOf(script: Script): number {
  switch (script.kind) {
    case 'topup':
      return 1;
    case 'payment':
      return 1 + { none: 0, full: 1, partial: 1, partialThenRest: 2, twinFull: 2 }[script.refund];
    case 'p2p':
      return 1 + (script.decision === 'expire' ? 0 : script.decision.includes('Vs') ? 2 : 1);
    case 'gift':
      return 1 + script.openers.length + (script.reopen ? 1 : 0);
  }
}

export function planSoak(config: SoakConfig): Script[] {
  const scripts: Script[] = [];
  const wrongPins = new Map<number, number>();
  const volumes = Array<number>(config.merchants).fill(0);
  let operations = 0;
  for (let id = 0; operations < config.operations; id += 1) {
    const random = seededRandom(deriveSeed(config.seed, 'script', id));
    const script = planOne(id, random, config, wrongPins);
    if (script.kind === 'payment') script.merchant = merchantFor(script, config, volumes);
    operations += operationsOf(script);
    scripts.push(script);
  }
  return scripts;
}

/**
 * Which soak merchant a payment pays, from a seed of its own (so the rest of the mix is the same with or
 * without merchants): one with budget left for the whole amount, or none.
 */
function merchantFor(
  script: Extract<Script, { kind: 'payment' }>,
  config: SoakConfig,
  volumes: number[],
): number | undefined {
  if (config.merchants === 0) return undefined;
  const random = seededRandom(deriveSeed(config.seed, 'merchant', script.id));
  if (random() >= MERCHANT_SHARE) return undefined;
  const merchant = randomInt(random, 0, config.merchants - 1);
  const volume = volumes[merchant] ?? 0;
  if (volume + script.amount > MERCHANT_VOLUME_BUDGET) return undefined;
  volumes[merchant] = volume + script.amount;
  return merchant;
}

function planOne(
  id: number,
  random: () => number,
  config: SoakConfig,
  wrongPins: Map<number, number>,
): Script {
  const user = () => randomInt(random, 0, config.users - 1);
  const room = () => randomInt(random, 0, config.rooms - 1);
  const kind = weighted(random, SCRIPT_WEIGHTS);
  switch (kind) {
    case 'topup':
      return {
        kind: 'topup',
        id,
        user: user(),
        amount: randomInt(random, 10, 150) * 100,
        declined: random() < 0.08,
      };
    case 'payment':
    case 'cardPayment': {
      const payer = user();
      const method = kind === 'cardPayment' ? 'card' : 'wallet';
      const declinedCard = method === 'card' && random() < 0.08;
      const mayFailPin = (wrongPins.get(payer) ?? 0) < WRONG_PINS_PER_USER && random() < 0.06;
      if (mayFailPin) wrongPins.set(payer, (wrongPins.get(payer) ?? 0) + 1);
      return {
        kind: 'payment',
        id,
        user: payer,
        method,
        amount: randomInt(random, 100, 8_000),
        room: random() < 0.5 ? room() : undefined,
        declinedCard,
        wrongPinFirst: mayFailPin,
        refund: declinedCard ? 'none' : weighted(random, REFUND_WEIGHTS),
        partialShare: 0.1 + 0.6 * random(),
        merchant: undefined,
      };
    }
    case 'p2p': {
      const sender = user();
      const recipient = (sender + randomInt(random, 1, config.users - 1)) % config.users;
      return {
        kind: 'p2p',
        id,
        sender,
        recipient,
        room: room(),
        amount: randomInt(random, 100, 3_000),
        decision: weighted(random, DECISION_WEIGHTS),
      };
    }
    case 'gift': {
      const creator = user();
      const count = randomInt(random, 1, 6);
      const others = Array.from({ length: config.users }, (_, index) => index).filter(
        (index) => index !== creator,
      );
      const openers: number[] = [];
      const wanted = Math.min(others.length, randomInt(random, 0, count + 2));
      while (openers.length < wanted) {
        const candidate = pick(random, others);
        if (!openers.includes(candidate)) openers.push(candidate);
      }
      return {
        kind: 'gift',
        id,
        creator,
        room: room(),
        total: randomInt(random, count * 50, 5_000),
        count,
        distribution: random() < 0.6 ? 'random' : 'equal',
        // Short enough that the expiry is seen within the run; a gift meant to be opened out gets long
        // enough for its openers under load (an open after expiry is a legitimate 409 all the same).
        expiresInSeconds: openers.length < count ? randomInt(random, 2, 6) : randomInt(random, 10, 20),
        openers,
        reopen: openers.length > 0 && random() < 0.15,
      };
    }
  }
}
