import * as z from 'zod/mini';
import type { OperationDoc } from '../operations.js';
import {
  CheckoutSessionIdParams,
  CheckoutSessionList,
  CheckoutSessionResponse,
  CreateCheckoutSessionRequest,
  ListCheckoutSessionsQuery,
} from '../schemas/checkout.js';

const html = (description: string) => ({
  description,
  schema: z.string(),
  contentType: 'text/html' as const,
});
const pageParams = { params: CheckoutSessionIdParams };

/** Hosted checkout: the merchant API's sessions, and the public page each one's `url` opens. */
export const checkoutOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /v1/checkout/sessions': {
    operationId: 'createCheckoutSession',
    request: { body: CreateCheckoutSessionRequest },
    responses: {
      200: {
        description:
          'The session, `open` until `expires_at` (24 h): send the customer to its `url`, a page on this API',
        schema: CheckoutSessionResponse,
      },
      400: {
        description:
          'VALIDATION_ERROR: an unknown or inactive price, a recurring price in payment mode or a one-time one in subscription mode, mixed currencies, an unknown customer',
      },
    },
  },
  'GET /v1/checkout/sessions': {
    operationId: 'listCheckoutSessions',
    request: { query: ListCheckoutSessionsQuery },
    responses: { 200: { description: 'One page, newest first', schema: CheckoutSessionList } },
  },
  'GET /v1/checkout/sessions/{sessionId}': {
    operationId: 'getCheckoutSession',
    request: { params: CheckoutSessionIdParams },
    responses: {
      200: {
        description: 'The session; one past `expires_at` reads `expired`',
        schema: CheckoutSessionResponse,
      },
      404: {
        description: "NOT_FOUND: no such session of this merchant and mode (another's id answers the same)",
      },
    },
  },
  'POST /v1/checkout/sessions/{sessionId}/expire': {
    operationId: 'expireCheckoutSession',
    request: { params: CheckoutSessionIdParams },
    responses: {
      200: {
        description: 'The session, `expired`: its page can no longer be paid',
        schema: CheckoutSessionResponse,
      },
      404: { description: 'NOT_FOUND: no such session of this merchant and mode' },
      409: { description: 'INVALID_STATE_TRANSITION: the session is not open' },
    },
    errors: { INVALID_STATE_TRANSITION: 'the session is complete or expired' },
  },
  'GET /checkout/{sessionId}': {
    operationId: 'showCheckoutPage',
    request: pageParams,
    responses: {
      200: html("The page: the merchant's name, the lines and total, an email and a card to pay with"),
      404: html('No such session'),
      409: html('The session has been paid'),
      410: html('The session has expired'),
    },
  },
  'POST /checkout/{sessionId}': {
    operationId: 'payCheckoutPage',
    description:
      "The page's form, `application/x-www-form-urlencoded`: `payment_method` (`pm_…`) and, when the session has no `customer_email`, `email`. Only from the page itself (Origin, Fetch Metadata). The payment is derived from the session: a form sent twice pays once.",
    request: pageParams,
    responses: {
      202: html(
        'Another submission of this session, or the processor, is still paying it: reload for the outcome',
      ),
      303: html(
        'Paid: to `success_url`; or to the card’s 3-D Secure page, which returns to `/checkout/{id}/return`',
      ),
      402: html('The card was declined: the page again, with the error'),
      403: html('Not posted from the checkout page'),
      404: html('No such session'),
      409: html('The session has been paid'),
      410: html('The session has expired'),
      422: html('The form is incomplete: the page again, with the error'),
    },
  },
  'GET /checkout/{sessionId}/return': {
    operationId: 'returnToCheckoutPage',
    request: pageParams,
    responses: {
      202: html('The processor has not finished the payment yet: reload for the outcome'),
      303: html('Authenticated and paid: to `success_url`'),
      402: html('Authentication failed: the page again, with the error'),
      404: html('No such session'),
      409: html('The session has been paid'),
      410: html('The session has expired'),
    },
  },
};
