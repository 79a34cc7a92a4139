/** What each tag of the route table groups; a route with a tag not described here is refused. */
export const tagDescriptions: Readonly<Record<string, string>> = {
  health: 'Probes for load balancers and operators: liveness, readiness, startup, and each integration.',
  docs: 'This document and the browsable API reference rendered from it.',
  wallets: "The caller's wallet: balances, history, saved cards, and top-ups by card.",
  payments: 'Mini-app payments: request, read, continue after MFA or 3-D Secure, cancel, and refund (ops).',
  mfa: "Second factors: a payment's challenge and its answer, and enrolling PINs, TOTP and device keys.",
  p2p: 'Sending money to another room member, who accepts or rejects it.',
  gifts: 'Group gifts: an amount put into a room, split into shares the members open.',
  webhooks: 'Provider events in (signed by the provider), and the inbox for operators.',
  payment_intents:
    "The merchant API: a merchant's PaymentIntents, confirmed, captured and cancelled at the card processor.",
  refunds:
    "The merchant API: a merchant's refunds of its PaymentIntents and mini-app payments, as the provider decides them.",
  payouts: "The merchant API: payouts of the available balance to the merchant's connected account.",
  customers: "The merchant API: a merchant's customers and the payment methods attached to them.",
  balance: "The merchant API: the merchant's balance and its movements; ops set its rolling reserve.",
  notifications: "What the merchant's events sent by email, SMS and push; the owner's push devices.",
  merchants: 'Merchant onboarding by its owner (a Tween user): KYC documents, submission, and ops review.',
  'api-keys': "A merchant owner's secret keys for the merchant API: create, list, roll, revoke.",
  apps: "The merchant API (a secret key): a merchant's apps, which mini-app payments name.",
  checkout:
    'Hosted checkout: sessions made by the merchant API (a secret key), and the public page where the customer pays.',
  webhook_endpoints: 'The merchant API: webhook endpoints, their delivery log, and the events they deliver.',
  products: "The merchant API: a merchant's products and their prices, one-time or recurring.",
  subscriptions:
    "The merchant API: a merchant's subscriptions, renewed each period, retried on failure (dunning), cancelled.",
  invoices:
    "The merchant API: a merchant's invoices: drafted, finalized, paid through a PaymentIntent, voided; their PDFs.",
};
