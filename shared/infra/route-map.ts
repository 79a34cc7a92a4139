/**
 * The route map: for every route of the route table, the use case its handler calls, the domain module of
 * the entity it works on, the entity definition that stores it and the state machine it starts or resumes. Keyed by the typed route key, so a
 * route without an entry (or an entry for no route) does not compile. The README's Layout section shows it,
 * rendered by `renderRouteMap` (`npm run docs:routes`); a unit test fails when the README differs.
 */

import { catalogueLinks, invoiceLinks } from './billing-route-links.js';
import { checkoutLinks } from './checkout-route-links.js';
import { functions } from './functions.js';
import {
  customerLinks,
  notificationLinks,
  outboundWebhookLinks,
  payoutLinks,
} from './merchant-route-links.js';
import { type RouteKey, routeKey, routes } from './routes.js';
import { type StateMachineName, stateMachines } from './state-machines.js';
import { subscriptionLinks } from './subscription-route-links.js';

export interface RouteLinks {
  /** `<module under shared/app>#<exported function>`; absent where the handler serves a document itself. */
  useCase?: `shared/app/${string}.ts#${string}`;
  /** The domain module of the entity the route reads or changes. */
  entity?: `shared/domain/${string}.ts`;
  /** The entity definition of the item the route reads or writes: its keys, its schema, its parse on read. */
  stored?: `shared/adapters/dynamodb/entities/${string}.ts`;
  /** The lifecycle the route starts or resumes. */
  stateMachine?: StateMachineName;
}

const probe = { useCase: 'shared/app/describe-probe.ts#describeProbe' } as const;
const apiKey = <N extends string>(name: N) =>
  ({
    useCase: `shared/app/merchants/api-keys.ts#${name}`,
    entity: 'shared/domain/api-key.ts',
    stored: 'shared/adapters/dynamodb/entities/api-key.ts',
  }) as const;
const merchantApp = <N extends string>(name: N) =>
  ({
    useCase: `shared/app/merchants/merchant-apps.ts#${name}`,
    entity: 'shared/domain/merchant.ts',
    stored: 'shared/adapters/dynamodb/entities/app.ts',
  }) as const;

/** The merchant API's PaymentIntents: use cases in shared/app/payment-intents, one entity module. */
function paymentIntentLinks() {
  const intents = 'shared/app/payment-intents/intents.ts';
  const settle = 'shared/app/payment-intents/settle.ts';
  const intent = {
    entity: 'shared/domain/payment-intent.ts',
    stored: 'shared/adapters/dynamodb/entities/payment-intent.ts',
  } as const;
  const window = { ...intent, stateMachine: 'paymentIntentCapture' } as const;
  return {
    'POST /v1/payment_intents': { useCase: `${intents}#createPaymentIntent`, ...window },
    'GET /v1/payment_intents': { useCase: `${intents}#listPaymentIntents`, ...intent },
    'GET /v1/payment_intents/{intentId}': { useCase: `${intents}#getPaymentIntent`, ...intent },
    'POST /v1/payment_intents/{intentId}/confirm': { useCase: `${intents}#confirmPaymentIntent`, ...window },
    'POST /v1/payment_intents/{intentId}/capture': { useCase: `${settle}#capturePaymentIntent`, ...intent },
    'POST /v1/payment_intents/{intentId}/cancel': { useCase: `${settle}#cancelPaymentIntent`, ...intent },
  } as const;
}

/** The merchant API's refunds: one use case module, a PaymentIntent's refund or the payer side's. */
function refundLinks() {
  const refunds = 'shared/app/refunds/merchant-refunds.ts';
  const stored = { stored: 'shared/adapters/dynamodb/entities/intent-refund.ts' } as const;
  return {
    'POST /v1/refunds': { useCase: `${refunds}#createRefund`, ...stored },
    'GET /v1/refunds': { useCase: `${refunds}#listRefunds`, ...stored },
    'GET /v1/refunds/{refundId}': { useCase: `${refunds}#getRefund`, ...stored },
  } as const;
}

export const routeLinks = {
  'GET /health': probe,
  'GET /health/ready': probe,
  'GET /health/startup': probe,
  'GET /health/integrations': { useCase: 'shared/app/check-integrations.ts#checkIntegrations' },
  'GET /openapi.json': {},
  'GET /docs': {},
  'GET /docs/assets/swagger-ui.css': {},
  'GET /docs/assets/swagger-ui-bundle.js': {},
  'GET /docs/assets/reference.js': {},
  'POST /wallet/v1/topup': {
    useCase: 'shared/app/wallets/top-up.ts#topUpWallet',
    entity: 'shared/domain/ledger.ts',
    stored: 'shared/adapters/dynamodb/entities/topup.ts',
  },
  'GET /payments/v1/user/{userId}/balance': {
    useCase: 'shared/app/wallets/get-balance.ts#getBalance',
    entity: 'shared/domain/ledger.ts',
    stored: 'shared/adapters/dynamodb/entities/ledger-account.ts',
  },
  'GET /payments/v1/user/{userId}/transactions': {
    useCase: 'shared/app/wallets/list-transactions.ts#listTransactions',
    entity: 'shared/domain/ledger.ts',
    stored: 'shared/adapters/dynamodb/entities/ledger-history.ts',
  },
  'GET /payments/v1/user/{userId}/payment-methods': {
    useCase: 'shared/app/wallets/list-payment-methods.ts#listPaymentMethods',
    entity: 'shared/domain/ledger.ts',
    stored: 'shared/adapters/dynamodb/entities/saved-card.ts',
  },
  'POST /api/v1/payments/request': {
    useCase: 'shared/app/payments/request-payment.ts#requestPayment',
    entity: 'shared/domain/payment.ts',
    stored: 'shared/adapters/dynamodb/entities/payment.ts',
    stateMachine: 'payment',
  },
  'GET /api/v1/payments/{paymentId}': {
    useCase: 'shared/app/payments/queries.ts#paymentOf',
    entity: 'shared/domain/payment.ts',
    stored: 'shared/adapters/dynamodb/entities/payment.ts',
  },
  'POST /api/v1/payments/{paymentId}/authorize': {
    useCase: 'shared/app/payments/commands.ts#authorizePayment',
    entity: 'shared/domain/payment.ts',
    stored: 'shared/adapters/dynamodb/entities/payment.ts',
    stateMachine: 'payment',
  },
  'POST /api/v1/payments/{paymentId}/cancel': {
    useCase: 'shared/app/payments/commands.ts#cancelPayment',
    entity: 'shared/domain/payment.ts',
    stored: 'shared/adapters/dynamodb/entities/payment.ts',
    stateMachine: 'payment',
  },
  'POST /api/v1/payments/{paymentId}/refund': {
    useCase: 'shared/app/payments/refund-payment.ts#refundPayment',
    entity: 'shared/domain/payment.ts',
    stored: 'shared/adapters/dynamodb/entities/refund.ts',
  },
  'POST /payments/v1/{paymentId}/mfa/challenge': {
    useCase: 'shared/app/mfa/start-challenge.ts#startChallenge',
    entity: 'shared/domain/mfa.ts',
    stored: 'shared/adapters/dynamodb/entities/mfa-challenge.ts',
  },
  'POST /payments/v1/{paymentId}/mfa/verify': {
    useCase: 'shared/app/mfa/verify-challenge.ts#verifyChallenge',
    entity: 'shared/domain/mfa.ts',
    stored: 'shared/adapters/dynamodb/entities/mfa-challenge.ts',
    stateMachine: 'payment',
  },
  'GET /payments/v1/{paymentId}/mfa/status': {
    useCase: 'shared/app/mfa/mfa-status.ts#mfaStatus',
    entity: 'shared/domain/mfa.ts',
    stored: 'shared/adapters/dynamodb/entities/mfa-challenge.ts',
  },
  'PUT /payments/v1/user/{userId}/mfa/pin': {
    useCase: 'shared/app/mfa/enrol-pin.ts#enrolPin',
    entity: 'shared/domain/mfa.ts',
    stored: 'shared/adapters/dynamodb/entities/mfa-pin.ts',
  },
  'POST /payments/v1/user/{userId}/mfa/totp': {
    useCase: 'shared/app/mfa/enrol-totp.ts#startTotpEnrolment',
    entity: 'shared/domain/mfa.ts',
    stored: 'shared/adapters/dynamodb/entities/mfa-totp.ts',
  },
  'POST /payments/v1/user/{userId}/mfa/totp/confirm': {
    useCase: 'shared/app/mfa/enrol-totp.ts#confirmTotpEnrolment',
    entity: 'shared/domain/mfa.ts',
    stored: 'shared/adapters/dynamodb/entities/mfa-totp.ts',
  },
  'POST /payments/v1/user/{userId}/mfa/devices': {
    useCase: 'shared/app/mfa/enrol-device.ts#enrolDevice',
    entity: 'shared/domain/mfa.ts',
    stored: 'shared/adapters/dynamodb/entities/mfa-device.ts',
  },
  'POST /payments/v1/user/{userId}/mfa/step-up': {
    useCase: 'shared/app/mfa/step-up.ts#stepUp',
    entity: 'shared/domain/step-up.ts',
    stored: 'shared/adapters/dynamodb/entities/step-up-grant.ts',
  },
  'POST /payments/v1/user/{userId}/mfa/step-up/challenge': {
    useCase: 'shared/app/mfa/step-up.ts#startStepUpChallenge',
    entity: 'shared/domain/step-up.ts',
    stored: 'shared/adapters/dynamodb/entities/mfa-challenge.ts',
  },
  'POST /wallet/v1/p2p/initiate': {
    useCase: 'shared/app/p2p/transfers.ts#initiateTransfer',
    entity: 'shared/domain/p2p.ts',
    stored: 'shared/adapters/dynamodb/entities/p2p-transfer.ts',
    stateMachine: 'p2pTransfer',
  },
  'GET /wallet/v1/p2p/{transferId}': {
    useCase: 'shared/app/p2p/transfers.ts#transferOf',
    entity: 'shared/domain/p2p.ts',
    stored: 'shared/adapters/dynamodb/entities/p2p-transfer.ts',
  },
  'POST /wallet/v1/p2p/{transferId}/accept': {
    useCase: 'shared/app/p2p/transfers.ts#decideTransfer',
    entity: 'shared/domain/p2p.ts',
    stored: 'shared/adapters/dynamodb/entities/p2p-transfer.ts',
    stateMachine: 'p2pTransfer',
  },
  'POST /wallet/v1/p2p/{transferId}/reject': {
    useCase: 'shared/app/p2p/transfers.ts#decideTransfer',
    entity: 'shared/domain/p2p.ts',
    stored: 'shared/adapters/dynamodb/entities/p2p-transfer.ts',
    stateMachine: 'p2pTransfer',
  },
  'POST /wallet/v1/p2p/{transferId}/cancel': {
    useCase: 'shared/app/p2p/transfers.ts#decideTransfer',
    entity: 'shared/domain/p2p.ts',
    stored: 'shared/adapters/dynamodb/entities/p2p-transfer.ts',
    stateMachine: 'p2pTransfer',
  },
  'POST /wallet/v1/gift/create': {
    useCase: 'shared/app/gifts/gifts.ts#createGift',
    entity: 'shared/domain/gift.ts',
    stored: 'shared/adapters/dynamodb/entities/gift.ts',
    stateMachine: 'groupGift',
  },
  'POST /wallet/v1/gift/{giftId}/open': {
    useCase: 'shared/app/gifts/gifts.ts#openGift',
    entity: 'shared/domain/gift.ts',
    stored: 'shared/adapters/dynamodb/entities/gift-opening.ts',
  },
  'GET /wallet/v1/gift/{giftId}': {
    useCase: 'shared/app/gifts/gifts.ts#giftOf',
    entity: 'shared/domain/gift.ts',
    stored: 'shared/adapters/dynamodb/entities/gift.ts',
  },
  'POST /api/v1/webhooks/stripe': {
    useCase: 'shared/app/webhooks/ingest.ts#ingestWebhook',
    stored: 'shared/adapters/dynamodb/entities/webhook-event.ts',
  },
  'POST /api/v1/webhooks/paypal': {
    useCase: 'shared/app/webhooks/ingest.ts#ingestWebhook',
    stored: 'shared/adapters/dynamodb/entities/webhook-event.ts',
  },
  'GET /api/v1/webhooks/events': {
    useCase: 'shared/app/webhooks/ops.ts#listWebhookEvents',
    stored: 'shared/adapters/dynamodb/entities/webhook-event.ts',
  },
  'POST /api/v1/webhooks/replay': {
    useCase: 'shared/app/webhooks/ops.ts#replayWebhookEvent',
    stored: 'shared/adapters/dynamodb/entities/webhook-event.ts',
  },
  ...paymentIntentLinks(),
  ...refundLinks(),
  ...payoutLinks(),
  ...customerLinks(),
  ...outboundWebhookLinks(),
  ...catalogueLinks(),
  ...subscriptionLinks(),
  ...invoiceLinks(),
  'POST /merchant/v1/merchants/{merchantId}/kyc/documents': {
    useCase: 'shared/app/kyc/documents.ts#requestKycUpload',
    entity: 'shared/domain/kyc.ts',
    stored: 'shared/adapters/dynamodb/entities/kyc-document.ts',
  },
  'GET /merchant/v1/merchants/{merchantId}/kyc/documents': {
    useCase: 'shared/app/kyc/documents.ts#listKycDocuments',
    entity: 'shared/domain/kyc.ts',
    stored: 'shared/adapters/dynamodb/entities/kyc-document.ts',
  },
  'POST /merchant/v1/merchants': {
    useCase: 'shared/app/merchants/onboarding.ts#createMerchant',
    entity: 'shared/domain/merchant.ts',
    stored: 'shared/adapters/dynamodb/entities/merchant.ts',
  },
  'GET /merchant/v1/merchants/{merchantId}': {
    useCase: 'shared/app/merchants/onboarding.ts#merchantOf',
    entity: 'shared/domain/merchant.ts',
    stored: 'shared/adapters/dynamodb/entities/merchant.ts',
  },
  'POST /merchant/v1/merchants/{merchantId}/verify-email': {
    useCase: 'shared/app/merchants/onboarding.ts#verifyEmail',
    entity: 'shared/domain/merchant.ts',
    stored: 'shared/adapters/dynamodb/entities/onboarding.ts',
  },
  'POST /merchant/v1/merchants/{merchantId}/verify-email/resend': {
    useCase: 'shared/app/merchants/onboarding.ts#resendVerificationCode',
    entity: 'shared/domain/merchant.ts',
    stored: 'shared/adapters/dynamodb/entities/onboarding.ts',
  },
  'POST /merchant/v1/merchants/{merchantId}/kyc/submit': {
    useCase: 'shared/app/merchants/onboarding.ts#submitKyc',
    entity: 'shared/domain/merchant.ts',
    stored: 'shared/adapters/dynamodb/entities/merchant.ts',
    stateMachine: 'merchantOnboarding',
  },
  'GET /ops/v1/merchants': {
    useCase: 'shared/app/merchants/review.ts#listMerchants',
    entity: 'shared/domain/merchant.ts',
    stored: 'shared/adapters/dynamodb/entities/merchant.ts',
  },
  'POST /ops/v1/merchants/{merchantId}/review': {
    useCase: 'shared/app/merchants/review.ts#reviewMerchant',
    entity: 'shared/domain/merchant.ts',
    stored: 'shared/adapters/dynamodb/entities/merchant.ts',
    stateMachine: 'merchantOnboarding',
  },
  'POST /merchant/v1/merchants/{merchantId}/api-keys': apiKey('createApiKey'),
  'GET /merchant/v1/merchants/{merchantId}/api-keys': apiKey('listApiKeys'),
  'POST /merchant/v1/merchants/{merchantId}/api-keys/{keyId}/roll': apiKey('rollApiKey'),
  'DELETE /merchant/v1/merchants/{merchantId}/api-keys/{keyId}': apiKey('revokeApiKey'),
  'POST /v1/apps': merchantApp('createApp'),
  'GET /v1/apps': merchantApp('listApps'),
  'GET /v1/apps/{id}': merchantApp('getApp'),
  'GET /v1/balance': {
    useCase: 'shared/app/balance/balance.ts#getBalance',
    entity: 'shared/domain/balance.ts',
    stored: 'shared/adapters/dynamodb/entities/ledger-account.ts',
  },
  'GET /v1/balance_transactions': {
    useCase: 'shared/app/balance/balance.ts#listBalanceTransactions',
    entity: 'shared/domain/balance.ts',
    stored: 'shared/adapters/dynamodb/entities/balance-transaction.ts',
  },
  'GET /v1/balance_transactions/{id}': {
    useCase: 'shared/app/balance/balance.ts#getBalanceTransaction',
    entity: 'shared/domain/balance.ts',
    stored: 'shared/adapters/dynamodb/entities/balance-transaction.ts',
  },
  'POST /ops/v1/merchants/{merchantId}/reserve': {
    useCase: 'shared/app/balance/balance.ts#setReserve',
    entity: 'shared/domain/merchant.ts',
    stored: 'shared/adapters/dynamodb/entities/merchant.ts',
  },
  'POST /merchant/v1/merchants/{merchantId}': {
    useCase: 'shared/app/merchants/onboarding.ts#updateMerchantContact',
    entity: 'shared/domain/merchant.ts',
    stored: 'shared/adapters/dynamodb/entities/merchant.ts',
  },
  ...notificationLinks(),
  'GET /v1/invoices/{invoiceId}/pdf': {
    useCase: 'shared/app/invoice-documents/documents.ts#getInvoicePdf',
    entity: 'shared/domain/invoice.ts',
  },
  ...checkoutLinks(),
} as const satisfies Record<RouteKey, RouteLinks>;

export const ROUTE_MAP_START =
  '<!-- route-map: generated by `npm run docs:routes` from shared/infra; do not edit -->';
export const ROUTE_MAP_END = '<!-- /route-map -->';

const link = (text: string, target: string) => `[${text}](${target})`;

/** The route map as a Markdown table (columns padded, as the formatter keeps it), in route table order. */
export function renderRouteMap(): string {
  const header = ['Route', 'Handler', 'Use case', 'Entity', 'Stored as', 'State machine'];
  const rows = routes.map((route) => {
    const key = routeKey(route);
    const links: RouteLinks = routeLinks[key as RouteKey];
    const handler = functions[route.fn].entry;
    const [useCaseModule, useCaseName = ''] = links.useCase?.split('#') ?? [];
    return [
      `\`${key}\``,
      link(handler, handler),
      useCaseModule === undefined ? '—' : link(useCaseName, useCaseModule),
      links.entity === undefined
        ? '—'
        : link(links.entity.replace(/^shared\/domain\/|\.ts$/g, ''), links.entity),
      links.stored === undefined
        ? '—'
        : link(links.stored.replace(/^shared\/adapters\/dynamodb\/entities\/|\.ts$/g, ''), links.stored),
      links.stateMachine === undefined
        ? '—'
        : link(links.stateMachine, stateMachines[links.stateMachine].file),
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** `readme` with the text between the route map markers replaced by the current route map. */
export function withRouteMap(readme: string): string {
  const start = readme.indexOf(ROUTE_MAP_START);
  const end = readme.indexOf(ROUTE_MAP_END);
  if (start === -1 || end < start) throw new Error('The README has no route map markers');
  return `${readme.slice(0, start + ROUTE_MAP_START.length)}\n${renderRouteMap()}\n${readme.slice(end)}`;
}
