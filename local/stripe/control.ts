/**
 * Local-only routes under `/local/stripe/`, for what Stripe does outside its API. They take no API key.
 *
 *   GET  /local/stripe/events[?type=…]                    the emitted events, oldest first, with delivery status
 *   GET  /local/stripe/payment_intents/:id/authenticate    a page standing in for the 3D Secure challenge
 *   POST /local/stripe/payment_intents/:id/authenticate    complete it: `{"outcome": "succeed" | "fail"}`
 *   GET  /local/stripe/outage                              the simulated outage: `{"mode": "none" | …}`
 *   PUT  /local/stripe/outage                              start or end one: `{"mode": "none" | "unavailable" | "unreachable"}`
 *   POST /local/stripe/charges/:id/dispute               open a dispute on a captured charge (sends
 *                                                          charge.dispute.created): `{"amount"?, "reason"?, "status"?}`
 *   POST /local/stripe/disputes/:id/status                move it on: `{"status": "under_review" | "won" | "lost" | …}`
 *                                                          (a closing status sends charge.dispute.closed, others .updated)
 *   GET  /local/stripe/faults                              the flaky mode: its rates, seed and what it injected
 *   PUT  /local/stripe/faults                              `{"rates": {"serverError"?, "timeout"?, "lostResponse"?,
 *                                                          "lostWebhook"?}, "seed"?, "hangMs"?}` (all rates 0: off)
 *   GET  /local/stripe/refund_mode                         how new refunds start: `{"mode": "succeeded" | "pending"}`
 *   PUT  /local/stripe/refund_mode                         set it (`pending`: each waits for the route below)
 *   POST /local/stripe/refunds/:id/settle                  end a pending refund: `{"outcome": "succeed" | "fail"}`,
 *                                                          sending refund.updated, charge.refund.updated (refund.failed)
 *   POST /local/stripe/payouts/fail-next                   the next payout created fails when it ends (payout.failed):
 *                                                          `{"failure_code"?: "account_closed" | …}` (default could_not_process)
 *   PUT  /local/stripe/payouts/delay                       how long a payout stays in_transit: `{"ms": 0..600000}`
 *
 * The dispute routes answer with the dispute, the settle route with the refund. The authenticate POST
 * answers with the PaymentIntent. Sent as a form (the page's buttons) to a PaymentIntent confirmed with a
 * `return_url`, it redirects there instead, with the query Stripe adds (`payment_intent`, `payment_intent_client_secret`, `redirect_status`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord, recordOf } from '../../shared/json.js';
import { FaultSettingsError, parseFaultSettings } from '../faults/plan.js';
import { failNextPayout } from './connect.js';
import { isDisputeStatus, moveDispute, openDispute } from './disputes.js';
import { invalidParam, unrecognizedUrl } from './errors.js';
import type { EventLog } from './events.js';
import { parseForm } from './form.js';
import { headerValue, jsonResponse, readBody, send } from './http-io.js';
import type { PaymentIntentResource } from './objects.js';
import { type AuthenticationOutcome, completeAuthentication, findPaymentIntent } from './payment-intents.js';
import { settleRefund } from './refunds.js';
import {
  type ApiContext,
  STRIPE_FAULT_KINDS,
  STRIPE_WEBHOOK_FAULT_KINDS,
  type StripeFaults,
  type StripeOutage,
} from './state.js';

const AUTHENTICATE = /^\/local\/stripe\/payment_intents\/([A-Za-z0-9_]+)\/authenticate$/;
const DISPUTE_CHARGE = /^\/local\/stripe\/charges\/([A-Za-z0-9_]+)\/dispute$/;
const DISPUTE_STATUS = /^\/local\/stripe\/disputes\/([A-Za-z0-9_]+)\/status$/;
const SETTLE_REFUND = /^\/local\/stripe\/refunds\/([A-Za-z0-9_]+)\/settle$/;

export async function serveControl(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (method === 'GET' && url.pathname === '/local/stripe/events') {
    send(res, jsonResponse(200, listEvents(ctx.events, url.searchParams.get('type'))));
    return;
  }
  if (url.pathname === '/local/stripe/outage' && (method === 'GET' || method === 'PUT')) {
    if (method === 'PUT') ctx.state.outage = readOutage(parseJsonField(await readBody(req), 'mode'));
    send(res, jsonResponse(200, { mode: ctx.state.outage }));
    return;
  }
  if (url.pathname === '/local/stripe/faults' && (method === 'GET' || method === 'PUT')) {
    if (method === 'PUT') configureFaults(ctx.state.faults, await readBody(req));
    send(res, jsonResponse(200, faultsView(ctx.state.faults)));
    return;
  }
  const disputedCharge = DISPUTE_CHARGE.exec(url.pathname)?.[1];
  if (disputedCharge !== undefined && method === 'POST') {
    const body = parseJsonObject(await readBody(req));
    send(res, jsonResponse(200, openDispute(ctx, disputedCharge, readDisputeOpening(body))));
    return;
  }
  const disputeId = DISPUTE_STATUS.exec(url.pathname)?.[1];
  if (disputeId !== undefined && method === 'POST') {
    const { status } = parseJsonObject(await readBody(req));
    if (!isDisputeStatus(status))
      throw invalidParam('Invalid status: not a dispute status', { param: 'status' });
    send(res, jsonResponse(200, moveDispute(ctx, disputeId, status)));
    return;
  }
  if (url.pathname === '/local/stripe/refund_mode' && (method === 'GET' || method === 'PUT')) {
    if (method === 'PUT') ctx.state.refundMode = readRefundMode(parseJsonField(await readBody(req), 'mode'));
    send(res, jsonResponse(200, { mode: ctx.state.refundMode }));
    return;
  }
  const refundId = SETTLE_REFUND.exec(url.pathname)?.[1];
  if (refundId !== undefined && method === 'POST') {
    const outcome = readOutcome(parseJson(await readBody(req)));
    send(res, jsonResponse(200, settleRefund(ctx, refundId, outcome)));
    return;
  }
  if (url.pathname === '/local/stripe/payouts/fail-next' && method === 'POST') {
    const code = parseJsonObject(await readBody(req)).failure_code ?? 'could_not_process';
    if (typeof code !== 'string' || !/^[a-z_]{1,64}$/.test(code))
      throw invalidParam('Invalid failure_code', { param: 'failure_code' });
    send(res, jsonResponse(200, failNextPayout(ctx, code)));
    return;
  }
  if (url.pathname === '/local/stripe/payouts/delay' && method === 'PUT') {
    const { ms } = parseJsonObject(await readBody(req));
    if (!(Number.isInteger(ms) && Number(ms) >= 0 && Number(ms) <= 600_000))
      throw invalidParam('Invalid ms: must be an integer from 0 to 600000', { param: 'ms' });
    ctx.state.connect.payoutDelayMs = Number(ms);
    send(res, jsonResponse(200, { ms: ctx.state.connect.payoutDelayMs }));
    return;
  }
  const intentId = AUTHENTICATE.exec(url.pathname)?.[1];
  if (intentId !== undefined && method === 'GET') {
    sendChallengePage(res, ctx, intentId);
    return;
  }
  if (intentId !== undefined && method === 'POST') {
    await authenticate(ctx, req, res, intentId);
    return;
  }
  throw unrecognizedUrl(method, url.pathname);
}

function listEvents(events: EventLog, type: string | null) {
  const records = events.list().filter((record) => type === null || record.event.type === type);
  return { object: 'list', data: records };
}

async function authenticate(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
): Promise<void> {
  const raw = await readBody(req);
  const fromForm = headerValue(req, 'content-type')?.startsWith('application/x-www-form-urlencoded') ?? false;
  const outcome = readOutcome(fromForm ? parseForm(raw).outcome : parseJson(raw));
  // The return_url lives on the next_action that completing the challenge clears.
  const before = findPaymentIntent(ctx.state, id).next_action;
  const intent = completeAuthentication(ctx, id, outcome);
  if (fromForm && before?.type === 'redirect_to_url') {
    res.writeHead(303, { Location: returnLocation(before.redirect_to_url.return_url, intent, outcome) });
    res.end();
    return;
  }
  send(res, jsonResponse(200, intent));
}

function parseJson(raw: string): unknown {
  try {
    const body: unknown = JSON.parse(raw);
    return recordOf(body)?.outcome;
  } catch {
    throw invalidParam('The body must be JSON: {"outcome": "succeed" | "fail"}.');
  }
}

function parseJsonObject(raw: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch {
    throw invalidParam('The body must be a JSON object.');
  }
  if (!isRecord(body)) throw invalidParam('The body must be a JSON object.');
  return { ...body };
}

function readDisputeOpening(body: Record<string, unknown>): Parameters<typeof openDispute>[2] {
  const { amount, reason, status } = body;
  if (amount !== undefined && typeof amount !== 'number')
    throw invalidParam('Invalid amount', { param: 'amount' });
  if (reason !== undefined && typeof reason !== 'string')
    throw invalidParam('Invalid reason', { param: 'reason' });
  if (status !== undefined && !isDisputeStatus(status))
    throw invalidParam('Invalid status', { param: 'status' });
  return {
    ...(amount === undefined ? {} : { amount }),
    ...(reason === undefined ? {} : { reason }),
    ...(status === undefined ? {} : { status }),
  };
}

function parseJsonField(raw: string, field: string): unknown {
  try {
    const body: unknown = JSON.parse(raw);
    return recordOf(body)?.[field];
  } catch {
    throw invalidParam(`The body must be JSON with "${field}".`);
  }
}

function configureFaults(faults: StripeFaults, raw: string): void {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw invalidParam('The body must be JSON: {"rates": {...}, "seed"?, "hangMs"?}.');
  }
  const { hangMs, ...settings }: Record<string, unknown> = { ...recordOf(body) };
  if (
    hangMs !== undefined &&
    !(Number.isInteger(hangMs) && Number(hangMs) >= 0 && Number(hangMs) <= 60_000)
  ) {
    throw invalidParam('Invalid hangMs: must be an integer from 0 to 60000', { param: 'hangMs' });
  }
  try {
    const { rates, seed } = parseFaultSettings(
      [...STRIPE_FAULT_KINDS, ...STRIPE_WEBHOOK_FAULT_KINDS],
      settings,
    );
    const { lostWebhook, ...requestRates } = rates;
    faults.plan.configure({ rates: requestRates, seed });
    faults.webhooks.configure({
      rates: lostWebhook === undefined ? {} : { lostWebhook },
      seed: seed ^ 0x5bd1e995,
    });
  } catch (error) {
    if (error instanceof FaultSettingsError) throw invalidParam(error.message, { param: 'rates' });
    throw error;
  }
  if (hangMs !== undefined) faults.hangMs = Number(hangMs);
}

function faultsView(faults: StripeFaults) {
  const requests = faults.plan.snapshot();
  const webhooks = faults.webhooks.snapshot();
  return {
    rates: { ...requests.rates, ...webhooks.rates },
    seed: requests.seed,
    hangMs: faults.hangMs,
    decisions: requests.decisions,
    webhookDecisions: webhooks.decisions,
    injected: { ...requests.injected, ...webhooks.injected },
  };
}

function readOutage(value: unknown): StripeOutage {
  if (value === 'none' || value === 'unavailable' || value === 'unreachable') return value;
  throw invalidParam('Invalid mode: must be one of none, unavailable or unreachable', { param: 'mode' });
}

function readRefundMode(value: unknown): 'succeeded' | 'pending' {
  if (value === 'succeeded' || value === 'pending') return value;
  throw invalidParam('Invalid mode: must be one of succeeded or pending', { param: 'mode' });
}

function readOutcome(value: unknown): AuthenticationOutcome {
  if (value === 'succeed' || value === 'fail') return value;
  throw invalidParam('Invalid outcome: must be one of succeed or fail', { param: 'outcome' });
}

function returnLocation(
  returnUrl: string,
  intent: PaymentIntentResource,
  outcome: AuthenticationOutcome,
): string {
  const location = new URL(returnUrl);
  location.searchParams.set('payment_intent', intent.id);
  location.searchParams.set('payment_intent_client_secret', intent.client_secret);
  location.searchParams.set('redirect_status', outcome === 'succeed' ? 'succeeded' : 'failed');
  return location.toString();
}

function sendChallengePage(res: ServerResponse, ctx: ApiContext, id: string): void {
  const intent = findPaymentIntent(ctx.state, id);
  // The id matched [A-Za-z0-9_]+ and the rest is ours, so nothing here needs HTML escaping.
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>3D Secure test payment</title></head>
<body>
<h1>3D Secure test payment</h1>
<p>PaymentIntent ${intent.id}: ${intent.amount} ${intent.currency}, status ${intent.status}.</p>
<form method="post"><button name="outcome" value="succeed">Complete authentication</button></form>
<form method="post"><button name="outcome" value="fail">Fail authentication</button></form>
</body>
</html>
`;
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
  });
  res.end(html);
}
