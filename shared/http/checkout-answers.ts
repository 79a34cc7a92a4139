/**
 * How the hosted checkout page answers (HTML, never the API's JSON errors): the page, a redirect, or the
 * page again with what went wrong, each with the page's security headers. The session id is the page's
 * capability, so a form post must come from the page itself (Origin, Fetch Metadata), and no answer sends
 * a Referer that would carry the id to the merchant's or anyone's site.
 */
import { CheckoutSessionClosedError } from '../domain/checkout-session.js';
import { DomainError, NotFoundError } from '../domain/errors.js';
import {
  type CheckoutPageInput,
  checkoutMessagePage,
  checkoutPage,
  checkoutPolicy,
} from './checkout-page.js';
import type { TextResult } from './pipeline.js';

function headers(formOrigins: readonly string[]): Record<string, string> {
  return {
    'content-security-policy': checkoutPolicy(formOrigins),
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export interface PageContext {
  /** Origins a form post may be redirected to besides the page's: the card's authentication page. */
  authenticationOrigins: readonly string[];
}

export function pageAnswer(input: CheckoutPageInput, context: PageContext, status = 200): TextResult {
  const origins = [originOf(input.session.successUrl), ...context.authenticationOrigins].filter(
    (origin): origin is string => origin !== undefined,
  );
  return {
    status,
    text: checkoutPage(input),
    contentType: 'text/html; charset=utf-8',
    headers: headers(origins),
  };
}

export function redirectAnswer(location: string): TextResult {
  return {
    status: 303,
    text: '',
    contentType: 'text/html; charset=utf-8',
    headers: { ...headers([]), location },
  };
}

function messageAnswer(
  status: number,
  title: string,
  message: string,
  link?: { href: string; text: string },
) {
  return {
    status,
    text: checkoutMessagePage(title, message, link),
    contentType: 'text/html; charset=utf-8',
    headers: headers([]),
  };
}

/** A post that did not come from the page itself (another site's form, a script elsewhere): 403. */
export function isCrossSite(
  requestHeaders: Readonly<Record<string, string | undefined>>,
  pageOrigin: string,
) {
  const site = requestHeaders['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = requestHeaders.origin;
  return origin !== undefined && origin !== 'null' && origin !== pageOrigin;
}

export function crossSiteAnswer(): TextResult {
  return messageAnswer(403, 'Not allowed', 'This payment must be made from its checkout page.');
}

/** What the page says about a session that cannot be shown or paid, else undefined. */
export function closedAnswer(error: unknown): TextResult | undefined {
  if (error instanceof NotFoundError)
    return messageAnswer(404, 'Checkout not found', 'This checkout page does not exist.');
  if (error instanceof CheckoutSessionClosedError) {
    return error.status === 'complete'
      ? messageAnswer(409, 'Already paid', 'This checkout has been paid. Nothing more will be charged.')
      : messageAnswer(410, 'Checkout expired', 'This checkout has expired and can no longer be paid.');
  }
  // Accepted, not finished: another submission (a second tab) or the processor has it. Reloading shows the end.
  if (error instanceof DomainError && error.code === 'IDEMPOTENCY_IN_PROGRESS')
    return messageAnswer(202, 'Payment in progress', error.message);
  return undefined;
}

/** The message the form shows again for a payment the card refused, and its status; else undefined. */
export function refusal(error: unknown): { status: number; message: string } | undefined {
  if (!(error instanceof DomainError)) return undefined;
  switch (error.code) {
    case 'PAYMENT_DECLINED':
      return {
        status: 402,
        message:
          error.details?.declineCode === 'authentication_failed'
            ? 'Your card could not be authenticated. Choose another card or try again.'
            : 'Your card was declined. Choose another card.',
      };
    case 'EXPIRED_CARD':
      return { status: 402, message: 'Your card has expired. Choose another card.' };
    case 'VALIDATION_ERROR':
      return { status: 422, message: 'Check your email address and card, then try again.' };
    default:
      return undefined;
  }
}
