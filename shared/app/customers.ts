import { UnknownPaymentMethodError } from '../domain/provider-errors.js';
import type { CardDetails, PaymentProvider, ProviderCustomers, ProviderName } from './payments/ports.js';

export interface CardOwnershipDeps {
  customers: ProviderCustomers;
  provider: Pick<PaymentProvider, 'providerFor' | 'retrieveCard' | 'createCustomer' | 'attachCard'>;
}

/** A card the caller may pay with, and the customer it is to be charged for (none for PayPal). */
export interface OwnedCard {
  card: CardDetails;
  customerId?: string;
}

/**
 * The caller's card, attached to the caller's own customer at the processor:
 * 1. PayPal: the payer approves each payment in their own PayPal account; there is no card to own.
 * 2. Find or create the caller's customer (customerOf).
 * 3. Attach the card to the caller's customer: that is the ownership check, in one call to the processor.
 *    A card already theirs comes back as it is; a card nobody owns yet (a test token such as
 *    `pm_card_visa`, which attaches a new card made from it, or a card the app just created) is theirs from
 *    now on, and the card to charge is the attached one; a card attached to anyone else's customer answers
 *    exactly as a card that does not exist (400 VALIDATION_ERROR): nothing tells the caller it exists.
 *    `idempotencyKey` (derived from the request) makes a retry attach the same card.
 */
export async function ownedCard(
  userId: string,
  paymentMethodId: string,
  idempotencyKey: string,
  deps: CardOwnershipDeps,
): Promise<OwnedCard> {
  const provider = deps.provider.providerFor(paymentMethodId);
  if (provider === 'paypal') return { card: await deps.provider.retrieveCard(paymentMethodId) };
  const customerId = await customerOf(userId, provider, deps);
  const card = await deps.provider.attachCard({
    paymentMethodId,
    customerId,
    idempotencyKey: `${idempotencyKey}:attach`,
  });
  // The processor refuses another customer's card; should it ever answer otherwise, the card is still not theirs.
  if (card.customerId !== customerId) throw new UnknownPaymentMethodError();
  return { card, customerId };
}

/**
 * The user's one customer at the processor, created on first use. Concurrent first uses create one: the
 * processor's idempotency key is derived from the user (both get the same customer back), and the mapping is
 * a conditional write (the first stands; the other reads it).
 */
export async function customerOf(
  userId: string,
  provider: ProviderName,
  deps: CardOwnershipDeps,
): Promise<string> {
  const known = await deps.customers.find(userId, provider);
  if (known !== undefined) return known;
  const created = await deps.provider.createCustomer({ userId, idempotencyKey: `customer:${userId}` });
  return deps.customers.claim(userId, provider, created);
}
