/**
 * PaymentIntents, following Stripe's state machine:
 *
 *   requires_payment_method ─(payment_method)→ requires_confirmation ─(confirm)→ attempt
 *   attempt: authorised → succeeded, or requires_capture with `capture_method: manual` (then capture)
 *            3D Secure card → requires_action, until the customer authenticates (the local route)
 *            declined → back to requires_payment_method, with `last_payment_error` and a 402 card error
 *   cancel from any state but succeeded/canceled → canceled
 *
 * Every transition emits the event Stripe emits for it. `processing` is never entered: card payments
 * here settle synchronously, as Stripe's test cards do.
 */
import { chargeOf, createCharge } from './charges.js';
import { findCustomer } from './customers.js';
import { docUrl, invalidParam, invalidRequest, noSuchObject, StripeApiError } from './errors.js';
import type { FormParams } from './form.js';
import { newId, randomBase62 } from './ids.js';
import { formatAmount } from './money.js';
import {
  type AutomaticPaymentMethods,
  type CancellationReason,
  type CaptureMethod,
  type Metadata,
  type NextAction,
  type PaymentError,
  type PaymentIntentObject,
  type PaymentIntentResource,
  type PaymentIntentStatus,
  unixNow,
} from './objects.js';
import {
  mergeMetadata,
  optionalBoolean,
  optionalEnum,
  optionalHash,
  optionalMetadata,
  optionalPositiveInteger,
  optionalString,
  optionalStringArray,
  rejectUnknownParams,
  requiredPositiveInteger,
  requiredString,
} from './params.js';
import { resolvePaymentMethod } from './payment-methods.js';
import type { ApiContext, StoredPaymentMethod, StripeState } from './state.js';
import { AUTHENTICATION_REQUIRED, type Decline } from './test-cards.js';

const CAPTURE_METHODS: readonly CaptureMethod[] = ['automatic', 'automatic_async', 'manual'];
const CANCELLATION_REASONS: readonly CancellationReason[] = [
  'duplicate',
  'fraudulent',
  'requested_by_customer',
  'abandoned',
];
const SETUP_FUTURE_USAGES = ['off_session', 'on_session'] as const;
const EXPANDABLE = ['latest_charge', 'payment_method'] as const;
type Expandable = (typeof EXPANDABLE)[number];

const CONFIRMABLE: readonly PaymentIntentStatus[] = [
  'requires_confirmation',
  'requires_payment_method',
  'requires_action',
];
const CAPTURABLE: readonly PaymentIntentStatus[] = ['requires_capture'];
const CANCELABLE: readonly PaymentIntentStatus[] = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];

const CREATE_PARAMS = [
  'amount',
  'automatic_payment_methods',
  'capture_method',
  'confirm',
  'currency',
  'customer',
  'description',
  'expand',
  'metadata',
  'off_session',
  'payment_method',
  'payment_method_types',
  'receipt_email',
  'return_url',
  'setup_future_usage',
  'statement_descriptor',
  'statement_descriptor_suffix',
  'transfer_group',
];
const CONFIRM_PARAMS = [
  'capture_method',
  'expand',
  'off_session',
  'payment_method',
  'receipt_email',
  'return_url',
  'setup_future_usage',
];

/** What a payment attempt needs to know beyond the PaymentIntent: where the customer is. */
interface AttemptOptions {
  returnUrl: string | undefined;
  /** The customer is not present, so a card that needs authentication is declined instead. */
  offSession: boolean;
}

/** `POST /v1/payment_intents` */
export function createPaymentIntent(ctx: ApiContext, params: FormParams): PaymentIntentResource {
  const request = readCreateParams(params);
  // Every parameter is checked before anything is created, as Stripe validates a request up front.
  if (request.customer !== null) findCustomer(ctx.state, request.customer, 'customer', 400);
  const paymentMethod =
    request.paymentMethod === undefined
      ? undefined
      : resolvePaymentMethod(ctx.state, request.paymentMethod, 'payment_method', 400);
  if (paymentMethod !== undefined) requireUsableBy(paymentMethod, request.customer);

  const id = newId('pi');
  const intent: PaymentIntentObject = {
    id,
    object: 'payment_intent',
    amount: request.amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: request.automaticPaymentMethods,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: request.captureMethod,
    client_secret: `${id}_secret_${randomBase62(25)}`,
    confirmation_method: 'automatic',
    created: unixNow(),
    currency: request.currency,
    customer: request.customer,
    description: request.description,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: request.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: paymentMethod?.object.id ?? null,
    payment_method_types: request.paymentMethodTypes,
    processing: null,
    receipt_email: request.receiptEmail,
    review: null,
    setup_future_usage: request.setupFutureUsage,
    shipping: null,
    source: null,
    statement_descriptor: request.statementDescriptor,
    statement_descriptor_suffix: request.statementDescriptorSuffix,
    status: paymentMethod === undefined ? 'requires_payment_method' : 'requires_confirmation',
    transfer_data: null,
    transfer_group: request.transferGroup,
  };
  ctx.state.paymentIntents.set(id, intent);
  ctx.events.emit('payment_intent.created', intent, ctx.request);
  if (request.confirm && paymentMethod !== undefined)
    attemptPayment(ctx, intent, paymentMethod, request.attempt);
  return renderPaymentIntent(ctx.state, intent, request.expand);
}

interface CreateRequest {
  amount: number;
  currency: string;
  captureMethod: CaptureMethod;
  confirm: boolean;
  paymentMethod: string | undefined;
  paymentMethodTypes: string[];
  automaticPaymentMethods: AutomaticPaymentMethods | null;
  attempt: AttemptOptions;
  expand: Expandable[];
  customer: string | null;
  description: string | null;
  metadata: Metadata;
  receiptEmail: string | null;
  setupFutureUsage: PaymentIntentObject['setup_future_usage'];
  statementDescriptor: string | null;
  statementDescriptorSuffix: string | null;
  transferGroup: string | null;
}

function readCreateParams(params: FormParams): CreateRequest {
  rejectUnknownParams(params, CREATE_PARAMS);
  const paymentMethodTypes = optionalStringArray(params, 'payment_method_types');
  const request: CreateRequest = {
    amount: requiredPositiveInteger(params, 'amount'),
    currency: readCurrency(params),
    captureMethod: optionalEnum(params, 'capture_method', CAPTURE_METHODS) ?? 'automatic',
    confirm: optionalBoolean(params, 'confirm') ?? false,
    paymentMethod: optionalString(params, 'payment_method'),
    paymentMethodTypes: paymentMethodTypes ?? ['card'],
    automaticPaymentMethods: readAutomaticPaymentMethods(params, paymentMethodTypes),
    attempt: readAttemptOptions(params),
    expand: readExpand(params),
    customer: optionalString(params, 'customer') ?? null,
    description: optionalString(params, 'description') ?? null,
    metadata: optionalMetadata(params) ?? {},
    receiptEmail: optionalString(params, 'receipt_email') ?? null,
    setupFutureUsage: optionalEnum(params, 'setup_future_usage', SETUP_FUTURE_USAGES) ?? null,
    statementDescriptor: optionalString(params, 'statement_descriptor') ?? null,
    statementDescriptorSuffix: optionalString(params, 'statement_descriptor_suffix') ?? null,
    transferGroup: optionalString(params, 'transfer_group') ?? null,
  };
  if (request.confirm) {
    if (request.paymentMethod === undefined) throw missingPaymentMethod();
    requireReturnUrlWhenRedirectsAllowed(request.automaticPaymentMethods, request.attempt);
  } else {
    if (request.attempt.returnUrl !== undefined) throw onlyWithConfirm('return_url');
    if (request.attempt.offSession) throw onlyWithConfirm('off_session');
  }
  return request;
}

/** `GET /v1/payment_intents/:id` */
export function retrievePaymentIntent(
  ctx: ApiContext,
  params: FormParams,
  id: string,
): PaymentIntentResource {
  rejectUnknownParams(params, ['client_secret', 'expand']);
  const expand = readExpand(params);
  return renderPaymentIntent(ctx.state, findPaymentIntent(ctx.state, id), expand);
}

/**
 * `GET /v1/payment_intents`: newest first, as Stripe lists, `limit` 1–100 (10 when omitted) per page, the
 * next page after the `starting_after` id.
 */
export function listPaymentIntents(ctx: ApiContext, params: FormParams): object {
  rejectUnknownParams(params, ['limit', 'starting_after']);
  const limit = optionalPositiveInteger(params, 'limit') ?? 10;
  if (limit > 100) throw invalidParam('This value must be less than or equal to 100.', { param: 'limit' });
  const newestFirst = [...ctx.state.paymentIntents.values()].reverse();
  const after = optionalString(params, 'starting_after');
  const start = after === undefined ? 0 : newestFirst.findIndex((intent) => intent.id === after) + 1;
  if (after !== undefined && start === 0) throw noSuchObject('payment_intent', after, 'starting_after', 400);
  const page = newestFirst.slice(start, start + limit);
  return {
    object: 'list',
    data: page.map((intent) => renderPaymentIntent(ctx.state, intent, [])),
    has_more: start + limit < newestFirst.length,
    url: '/v1/payment_intents',
  };
}

/** `POST /v1/payment_intents/:id/confirm` */
export function confirmPaymentIntent(ctx: ApiContext, params: FormParams, id: string): PaymentIntentResource {
  rejectUnknownParams(params, CONFIRM_PARAMS);
  const intent = findPaymentIntent(ctx.state, id);
  const captureMethod = optionalEnum(params, 'capture_method', CAPTURE_METHODS);
  const setupFutureUsage = optionalEnum(params, 'setup_future_usage', SETUP_FUTURE_USAGES);
  const receiptEmail = optionalString(params, 'receipt_email');
  const attempt = readAttemptOptions(params);
  const expand = readExpand(params);
  const paymentMethodParam = optionalString(params, 'payment_method');
  requireStatus(ctx.state, intent, CONFIRMABLE, 'confirm', 'confirmed');
  const paymentMethodId = paymentMethodParam ?? intent.payment_method;
  if (paymentMethodId === null) throw missingPaymentMethod();
  requireReturnUrlWhenRedirectsAllowed(intent.automatic_payment_methods, attempt);
  const paymentMethod = resolvePaymentMethod(ctx.state, paymentMethodId, 'payment_method', 400);
  requireUsableBy(paymentMethod, intent.customer);

  if (captureMethod !== undefined) intent.capture_method = captureMethod;
  if (setupFutureUsage !== undefined) intent.setup_future_usage = setupFutureUsage;
  if (receiptEmail !== undefined) intent.receipt_email = receiptEmail;
  attemptPayment(ctx, intent, paymentMethod, attempt);
  return renderPaymentIntent(ctx.state, intent, expand);
}

/** `POST /v1/payment_intents/:id/capture`; `amount_to_capture` below the authorised amount captures part. */
export function capturePaymentIntent(ctx: ApiContext, params: FormParams, id: string): PaymentIntentResource {
  rejectUnknownParams(params, ['amount_to_capture', 'expand', 'metadata']);
  const intent = findPaymentIntent(ctx.state, id);
  const requested = optionalPositiveInteger(params, 'amount_to_capture');
  const metadata = mergeMetadata(intent.metadata, params);
  const expand = readExpand(params);
  requireStatus(ctx.state, intent, CAPTURABLE, 'capture', 'captured');
  const amount = requested ?? intent.amount_capturable;
  if (amount > intent.amount_capturable) {
    throw invalidRequest(
      `The amount to capture (${formatAmount(amount, intent.currency)}) is greater than the amount capturable on this PaymentIntent (${formatAmount(intent.amount_capturable, intent.currency)}).`,
      { param: 'amount_to_capture' },
    );
  }

  const charge = chargeOf(ctx, intent);
  charge.captured = true;
  charge.amount_captured = amount;
  // The authorisation not captured is released; Stripe counts it as refunded on the charge.
  charge.amount_refunded = charge.amount - amount;
  charge.balance_transaction = newId('txn');
  intent.amount_received = amount;
  intent.amount_capturable = 0;
  intent.metadata = metadata;
  intent.status = 'succeeded';
  ctx.events.emit('charge.captured', charge, ctx.request);
  ctx.events.emit('payment_intent.succeeded', intent, ctx.request);
  return renderPaymentIntent(ctx.state, intent, expand);
}

/** `POST /v1/payment_intents/:id/cancel`; an uncaptured authorisation is released (refunded). */
export function cancelPaymentIntent(ctx: ApiContext, params: FormParams, id: string): PaymentIntentResource {
  rejectUnknownParams(params, ['cancellation_reason', 'expand']);
  const intent = findPaymentIntent(ctx.state, id);
  const reason = optionalEnum(params, 'cancellation_reason', CANCELLATION_REASONS);
  const expand = readExpand(params);
  requireStatus(ctx.state, intent, CANCELABLE, 'cancel', 'canceled');

  const releasesAuthorisation = intent.status === 'requires_capture';
  intent.status = 'canceled';
  intent.canceled_at = unixNow();
  intent.cancellation_reason = reason ?? null;
  intent.amount_capturable = 0;
  intent.next_action = null;
  if (releasesAuthorisation) {
    const charge = chargeOf(ctx, intent);
    charge.amount_refunded = charge.amount;
    charge.refunded = true;
    ctx.events.emit('charge.refunded', charge, ctx.request);
  }
  ctx.events.emit('payment_intent.canceled', intent, ctx.request);
  return renderPaymentIntent(ctx.state, intent, expand);
}

export type AuthenticationOutcome = 'succeed' | 'fail';

/**
 * The customer's answer to the 3D Secure challenge of a `requires_action` PaymentIntent (local-only; with
 * Stripe it happens in the customer's browser). Success authorises the payment as a confirm would have;
 * failure returns the PaymentIntent to `requires_payment_method`.
 */
export function completeAuthentication(
  ctx: ApiContext,
  id: string,
  outcome: AuthenticationOutcome,
): PaymentIntentResource {
  const intent = findPaymentIntent(ctx.state, id);
  if (intent.status !== 'requires_action') {
    throw invalidRequest(
      `This PaymentIntent has a status of ${intent.status}; only a PaymentIntent in requires_action has an authentication to complete.`,
      { code: 'payment_intent_unexpected_state' },
    );
  }
  const paymentMethod =
    intent.payment_method === null ? undefined : ctx.state.paymentMethods.get(intent.payment_method);
  if (paymentMethod === undefined)
    throw new Error(`PaymentIntent ${id} awaits authentication without a PaymentMethod`);

  intent.next_action = null;
  if (outcome === 'succeed') {
    authorize(ctx, intent, paymentMethod, true);
  } else {
    intent.status = 'requires_payment_method';
    intent.payment_method = null;
    intent.last_payment_error = {
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      message:
        'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
      doc_url: docUrl('payment_intent_authentication_failure'),
      payment_method: structuredClone(paymentMethod.object),
    };
    ctx.events.emit('payment_intent.payment_failed', intent, ctx.request);
  }
  return renderPaymentIntent(ctx.state, intent, []);
}

export function findPaymentIntent(state: StripeState, id: string): PaymentIntentObject {
  const intent = state.paymentIntents.get(id);
  if (intent === undefined) throw noSuchObject('payment_intent', id, 'intent', 404);
  return intent;
}

/** A snapshot for a response, with the requested `expand[]` fields replaced by their objects. */
export function renderPaymentIntent(
  state: StripeState,
  intent: PaymentIntentObject,
  expand: readonly Expandable[],
): PaymentIntentResource {
  const out: PaymentIntentResource = structuredClone(intent);
  if (expand.includes('latest_charge') && intent.latest_charge !== null) {
    out.latest_charge = structuredClone(state.charges.get(intent.latest_charge) ?? null);
  }
  if (expand.includes('payment_method') && intent.payment_method !== null) {
    out.payment_method = structuredClone(state.paymentMethods.get(intent.payment_method)?.object ?? null);
  }
  return out;
}

function attemptPayment(
  ctx: ApiContext,
  intent: PaymentIntentObject,
  paymentMethod: StoredPaymentMethod,
  attempt: AttemptOptions,
): void {
  intent.payment_method = paymentMethod.object.id;
  intent.last_payment_error = null;
  intent.next_action = null;
  const outcome = paymentMethod.card.outcome;
  switch (outcome.kind) {
    case 'succeed':
      authorize(ctx, intent, paymentMethod, false);
      return;
    case 'authenticate':
      // Nobody is there to complete a challenge, so the issuer's demand for one is a decline.
      if (attempt.offSession) throwDecline(ctx, intent, paymentMethod, AUTHENTICATION_REQUIRED);
      requireAuthentication(ctx, intent, attempt.returnUrl);
      return;
    case 'decline':
      throwDecline(ctx, intent, paymentMethod, outcome.decline);
  }
}

function authorize(
  ctx: ApiContext,
  intent: PaymentIntentObject,
  paymentMethod: StoredPaymentMethod,
  authenticated: boolean,
): void {
  const capture = intent.capture_method !== 'manual';
  const charge = createCharge(ctx, intent, paymentMethod, { kind: 'authorized', capture, authenticated });
  intent.latest_charge = charge.id;
  ctx.events.emit('charge.succeeded', charge, ctx.request);
  if (capture) {
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    ctx.events.emit('payment_intent.succeeded', intent, ctx.request);
  } else {
    intent.status = 'requires_capture';
    intent.amount_capturable = intent.amount;
    ctx.events.emit('payment_intent.amount_capturable_updated', intent, ctx.request);
  }
}

function requireAuthentication(
  ctx: ApiContext,
  intent: PaymentIntentObject,
  returnUrl: string | undefined,
): void {
  const url = `${ctx.baseUrl}/local/stripe/payment_intents/${intent.id}/authenticate`;
  const nextAction: NextAction =
    returnUrl === undefined
      ? { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url } }
      : { type: 'redirect_to_url', redirect_to_url: { url, return_url: returnUrl } };
  intent.status = 'requires_action';
  intent.next_action = nextAction;
  ctx.events.emit('payment_intent.requires_action', intent, ctx.request);
}

/** Records the failed attempt as Stripe does, then answers the request with the 402 card error. */
function throwDecline(
  ctx: ApiContext,
  intent: PaymentIntentObject,
  paymentMethod: StoredPaymentMethod,
  reason: Decline,
): never {
  const charge = createCharge(ctx, intent, paymentMethod, { kind: 'declined', decline: reason });
  const error: PaymentError = {
    type: 'card_error',
    code: reason.code,
    decline_code: reason.declineCode,
    message: reason.message,
    doc_url: docUrl(reason.code),
    charge: charge.id,
    payment_method: structuredClone(paymentMethod.object),
  };
  if (reason.param !== undefined) error.param = reason.param;
  intent.latest_charge = charge.id;
  intent.status = 'requires_payment_method';
  intent.payment_method = null;
  intent.last_payment_error = error;
  ctx.events.emit('charge.failed', charge, ctx.request);
  ctx.events.emit('payment_intent.payment_failed', intent, ctx.request);
  throw new StripeApiError(402, {
    ...structuredClone(error),
    payment_intent: renderPaymentIntent(ctx.state, intent, []),
  });
}

function requireStatus(
  state: StripeState,
  intent: PaymentIntentObject,
  allowed: readonly PaymentIntentStatus[],
  verb: string,
  participle: string,
): void {
  if (allowed.includes(intent.status)) return;
  const error = invalidRequest(
    `You cannot ${verb} this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be ${participle}: ${allowed.join(', ')}.`,
    { code: 'payment_intent_unexpected_state' },
  );
  error.body.payment_intent = renderPaymentIntent(state, intent, []);
  throw error;
}

/**
 * A PaymentMethod attached to a customer pays only for that customer, as with Stripe: another customer's
 * PaymentIntent (or one naming no customer) cannot use it. Checked before anything is created or charged.
 */
function requireUsableBy(paymentMethod: StoredPaymentMethod, customer: string | null): void {
  const owner = paymentMethod.object.customer;
  if (owner === null || owner === customer) return;
  throw invalidParam(
    customer === null
      ? 'The provided PaymentMethod is attached to a Customer. To use it, pass that Customer in the `customer` parameter.'
      : `The provided PaymentMethod ${paymentMethod.object.id} does not belong to the Customer ${customer}. Please use a PaymentMethod that belongs to this Customer.`,
    { param: 'payment_method' },
  );
}

function missingPaymentMethod() {
  return invalidRequest(
    "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
    { code: 'payment_intent_unexpected_state' },
  );
}

function onlyWithConfirm(param: string) {
  return invalidParam(`The parameter \`${param}\` can only be passed when \`confirm\` is true.`, { param });
}

/**
 * With automatic payment methods that may redirect (the default when no `payment_method_types` is given),
 * Stripe refuses a server-side confirm that has no `return_url` to send the customer back to.
 */
function requireReturnUrlWhenRedirectsAllowed(
  automatic: AutomaticPaymentMethods | null,
  attempt: AttemptOptions,
): void {
  if (automatic === null || !automatic.enabled || automatic.allow_redirects === 'never') return;
  if (attempt.returnUrl !== undefined) return;
  throw invalidParam(
    "This PaymentIntent is configured to accept payment methods enabled in your Dashboard, because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
    { param: 'return_url' },
  );
}

function readCurrency(params: FormParams): string {
  const currency = requiredString(params, 'currency');
  if (!/^[a-zA-Z]{3}$/.test(currency)) {
    throw invalidParam(`Invalid currency: ${currency.toLowerCase()}.`, { param: 'currency' });
  }
  return currency.toLowerCase();
}

/** Only cards exist here; automatic payment methods default on when no types are listed, as with Stripe. */
function readAutomaticPaymentMethods(
  params: FormParams,
  paymentMethodTypes: string[] | undefined,
): AutomaticPaymentMethods | null {
  for (const type of paymentMethodTypes ?? []) {
    if (type !== 'card') {
      throw invalidParam(`The payment method type "${type}" is not supported by this local Stripe server.`, {
        param: 'payment_method_types',
      });
    }
  }
  const hash = optionalHash(params, 'automatic_payment_methods');
  if (hash === undefined)
    return paymentMethodTypes === undefined ? { enabled: true, allow_redirects: 'always' } : null;
  if (paymentMethodTypes !== undefined) {
    throw invalidParam(
      'You may only specify one of these parameters: automatic_payment_methods, payment_method_types.',
      {
        param: 'automatic_payment_methods',
      },
    );
  }
  rejectUnknownParams(hash, ['enabled', 'allow_redirects']);
  const enabled = optionalBoolean(hash, 'enabled');
  if (enabled === undefined)
    throw invalidParam('Missing required param: automatic_payment_methods[enabled].', {
      code: 'parameter_missing',
      param: 'automatic_payment_methods[enabled]',
    });
  const allowRedirects = optionalEnum(hash, 'allow_redirects', ['always', 'never'] as const) ?? 'always';
  return enabled ? { enabled, allow_redirects: allowRedirects } : null;
}

function readAttemptOptions(params: FormParams): AttemptOptions {
  // `off_session` takes a boolean, or `one_off` / `recurring` which both mean true.
  const offSession = optionalString(params, 'off_session');
  if (offSession !== undefined && !['true', 'false', 'one_off', 'recurring'].includes(offSession)) {
    throw invalidParam(`Invalid off_session: ${offSession}`, { param: 'off_session' });
  }
  const returnUrl = optionalString(params, 'return_url');
  if (returnUrl !== undefined && !URL.canParse(returnUrl)) {
    throw invalidParam('Not a valid URL', { code: 'url_invalid', param: 'return_url' });
  }
  return { returnUrl, offSession: offSession !== undefined && offSession !== 'false' };
}

function readExpand(params: FormParams): Expandable[] {
  const paths = optionalStringArray(params, 'expand') ?? [];
  return paths.map((path) => {
    const known = EXPANDABLE.find((field) => field === path);
    if (known === undefined) {
      throw invalidParam(`This property cannot be expanded (${path}).`, { param: 'expand' });
    }
    return known;
  });
}
