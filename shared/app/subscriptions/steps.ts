/**
 * A subscription's due step, run by the steps queue's consumer when its schedule fires: the renewal at the
 * period's end (attempt 0; a trial's end too) or dunning retry k after a declined charge. Keyed by
 * (subscription, period start, attempt): a duplicate, late or stale message finds the subscription no longer
 * waiting for it and does nothing; a twin that loses the conditional write changes nothing (the invoicing is
 * idempotent per period and per attempt, so nothing is charged twice).
 *
 * renewal: cancel_at_period_end → canceled; else the next period is billed: paid → active, the renewal after
 * it scheduled; declined → past_due, retry 1 scheduled. Retry k: paid → active (its period stands, the
 * renewal at its end scheduled); declined → retry k+1, or after the last one the invoice is marked
 * uncollectible and the subscription canceled (`customer.subscription.deleted`).
 */
import { ConcurrentModificationError } from '../../domain/errors.js';
import type { Invoice } from '../../domain/invoice.js';
import {
  isDueStep,
  nextStepOf,
  periodEndOf,
  type Subscription,
  type SubscriptionStep,
} from '../../domain/subscription.js';
import { subscriptionEvent } from './events.js';
import type { StoredSubscription, SubscriptionEventType } from './ports.js';
import { billCurrentPeriod, type SubscriptionDeps, scheduled } from './subscriptions.js';

export type StepDeps = Pick<
  SubscriptionDeps,
  'subscriptions' | 'invoicing' | 'schedule' | 'clock' | 'settings' | 'objectView'
>;

export type StepResult =
  | { outcome: 'gone' }
  /** Not the step the subscription waits for (a duplicate, or a step of an earlier state). */
  | { outcome: 'stale' }
  /** Came before its time: put back. */
  | { outcome: 'early' }
  /** A twin ran it first. */
  | { outcome: 'lost_race' }
  | { outcome: 'renewed' | 'recovered' | 'past_due' | 'canceled'; status: Subscription['status'] };

export async function runSubscriptionStep(step: SubscriptionStep, deps: StepDeps): Promise<StepResult> {
  const stored = await deps.subscriptions.get(step, step.subscriptionId);
  if (stored === undefined) return { outcome: 'gone' };
  const now = deps.clock.now();
  if (!isDueStep(stored.subscription, step)) {
    // The step that moved it on may have stopped before scheduling the next: make sure it is (a future
    // schedule is named by its step, so this adds none when it exists).
    await scheduledIfAhead(stored, deps, now);
    return { outcome: 'stale' };
  }
  const current = stored.subscription;
  if (step.attempt === 0 && Date.parse(current.currentPeriodEnd) > now.getTime()) {
    await deps.schedule.scheduleAt(step, new Date(current.currentPeriodEnd));
    return { outcome: 'early' };
  }
  const at = now.toISOString();
  try {
    if (step.attempt === 0) return await renew(stored, at, deps);
    return await retry(stored, step.attempt, at, deps);
  } catch (error) {
    if (error instanceof ConcurrentModificationError) return { outcome: 'lost_race' };
    throw error;
  }
}

async function renew(stored: StoredSubscription, at: string, deps: StepDeps): Promise<StepResult> {
  const current = stored.subscription;
  if (current.cancelAtPeriodEnd) {
    const ended: Subscription = { ...current, status: 'canceled', canceledAt: at, updatedAt: at };
    await write(stored, ended, 'customer.subscription.deleted', deps);
    return { outcome: 'canceled', status: 'canceled' };
  }
  const start = new Date(current.currentPeriodEnd);
  const period: Subscription = {
    ...current,
    currentPeriodStart: start.toISOString(),
    currentPeriodEnd: periodEndOf(start, current.interval, deps.settings.secondsPerMonth).toISOString(),
    updatedAt: at,
  };
  const invoice = await billCurrentPeriod(period, deps);
  const next = charged(period, invoice, invoice.status === 'paid' ? 0 : 1);
  const written = await write(stored, next, 'customer.subscription.updated', deps);
  await scheduled(written, deps);
  return { outcome: next.status === 'active' ? 'renewed' : 'past_due', status: next.status };
}

async function retry(
  stored: StoredSubscription,
  attempt: number,
  at: string,
  deps: StepDeps,
): Promise<StepResult> {
  const current = stored.subscription;
  const tenant = { merchantId: current.merchantId, mode: current.mode };
  const invoice =
    current.latestInvoiceId === null
      ? await billCurrentPeriod(current, deps)
      : await deps.invoicing.retry(tenant, current.latestInvoiceId, attempt);
  if (invoice.status === 'paid') {
    const written = await write(
      stored,
      charged({ ...current, updatedAt: at }, invoice, 0),
      'customer.subscription.updated',
      deps,
    );
    await scheduled(written, deps);
    return { outcome: 'recovered', status: 'active' };
  }
  if (attempt < deps.settings.dunning.length) {
    const next = charged({ ...current, updatedAt: at }, invoice, attempt + 1);
    // Still past_due: nothing the merchant sees changed, so no event; the next retry is scheduled.
    const written = await deps.subscriptions.change(next, stored.version);
    await scheduled(written, deps);
    return { outcome: 'past_due', status: 'past_due' };
  }
  if (invoice.status === 'open') await deps.invoicing.markUncollectible(tenant, invoice.invoiceId);
  const ended: Subscription = {
    ...charged(current, invoice, attempt),
    status: 'canceled',
    canceledAt: at,
    updatedAt: at,
  };
  await write(stored, ended, 'customer.subscription.deleted', deps);
  return { outcome: 'canceled', status: 'canceled' };
}

/** The subscription after a charge of `invoice`: paid → active; else past_due with retry `dunning` next. */
function charged(subscription: Subscription, invoice: Invoice, dunning: number): Subscription {
  const paid = invoice.status === 'paid';
  return {
    ...subscription,
    status: paid ? 'active' : 'past_due',
    latestInvoiceId: invoice.invoiceId,
    dunningAttempt: paid ? 0 : dunning,
  };
}

async function write(
  stored: StoredSubscription,
  next: Subscription,
  type: SubscriptionEventType,
  deps: StepDeps,
): Promise<StoredSubscription> {
  const event = subscriptionEvent(type, next, stored.version + 1, deps.objectView, stored.subscription);
  return deps.subscriptions.change(next, stored.version, event);
}

/** The subscription's next step, scheduled again when it lies ahead (a named schedule: no second one). */
async function scheduledIfAhead(stored: StoredSubscription, deps: StepDeps, now: Date): Promise<void> {
  const next = nextStepOf(stored.subscription, deps.settings.dunning);
  if (next !== undefined && next.at.getTime() > now.getTime())
    await deps.schedule.scheduleAt(next.step, next.at);
}
