/**
 * The hosted checkout page (/checkout/{id}): show it, pay it (a form post), come back from 3-D Secure.
 * Public: the session id is the capability. Answers HTML (shared/http/checkout-answers.ts).
 */
import * as z from 'zod/mini';
import {
  type CheckoutOutcome,
  payCheckoutSession,
  returnFromAuthentication,
  showCheckoutSession,
} from '../../shared/app/checkout/pay.js';
import { checkoutPageDeps } from '../../shared/composition/checkout.js';
import { CheckoutSessionClosedError } from '../../shared/domain/checkout-session.js';
import { NotFoundError, ValidationError } from '../../shared/domain/errors.js';
import {
  closedAnswer,
  crossSiteAnswer,
  isCrossSite,
  pageAnswer,
  redirectAnswer,
  refusal,
} from '../../shared/http/checkout-answers.js';
import { byRoute } from '../../shared/http/handler.js';
import type { TextResult } from '../../shared/http/pipeline.js';
import { plainHttpHandler } from '../../shared/http/plain-handler.js';
import type { HttpRequest } from '../../shared/http/request.js';
import { checkoutPagePath } from '../../shared/http/views/checkout.js';

const deps = checkoutPageDeps();
const SESSION_ID = /^cs_[A-Za-z0-9_]{1,128}$/;
const params = { params: z.object({ sessionId: z.string() }) };
// The card's 3-D Secure page: Stripe's hooks, or the local Stripe-compatible server.
const context = {
  authenticationOrigins: [new URL(process.env.STRIPE_API_BASE ?? 'https://hooks.stripe.com').origin],
};

/** The page's form: a card (a PaymentMethod id) and, when the session has none, the payer's email. */
const PayForm = z.object({
  payment_method: z.string().check(z.regex(/^pm_[A-Za-z0-9_]{1,128}$/)),
  email: z.optional(z.union([z.literal(''), z.email().check(z.maxLength(254))])),
});

type PageRequest = HttpRequest<typeof params>;

/**
 * Runs `work` for a well-formed session id; what cannot be shown or paid answers as the page says it. An id
 * no session could have (a traversal, a probe) is no page at all: the API's JSON 404, as for any path.
 */
async function answering(request: PageRequest, work: (id: string) => Promise<TextResult>) {
  const { sessionId } = request.params;
  if (!SESSION_ID.test(sessionId)) throw new NotFoundError('Checkout session');
  try {
    return await work(sessionId);
  } catch (error) {
    const closed = closedAnswer(error);
    if (closed === undefined) throw error;
    return closed;
  }
}

async function formAgain(request: PageRequest, id: string, error: unknown, form: Record<string, string>) {
  const refused = refusal(error);
  if (refused === undefined) throw error;
  const view = await showCheckoutSession(id, deps);
  return pageAnswer(
    {
      ...view,
      action: request.url(checkoutPagePath(id)),
      error: refused.message,
      ...(form.email === undefined ? {} : { email: form.email }),
      ...(form.payment_method === undefined ? {} : { paymentMethod: form.payment_method }),
    },
    context,
    refused.status,
  );
}

function answerOf(outcome: CheckoutOutcome): TextResult {
  return redirectAnswer(outcome.kind === 'complete' ? outcome.session.successUrl : outcome.url);
}

const show = plainHttpHandler(params, (request) =>
  answering(request, async (id) => {
    const view = await showCheckoutSession(id, deps);
    if (view.session.status !== 'open') throw new CheckoutSessionClosedError(view.session.status);
    return pageAnswer({ ...view, action: request.url(checkoutPagePath(id)) }, context);
  }),
);

const pay = plainHttpHandler(params, (request) =>
  answering(request, async (id) => {
    if (isCrossSite(request.headers, new URL(request.url('/')).origin)) return crossSiteAnswer();
    const form = Object.fromEntries(new URLSearchParams(request.rawBody()));
    try {
      const fields = z.safeParse(PayForm, form);
      if (!fields.success) throw new ValidationError('Check the email and the card');
      const outcome = await payCheckoutSession(
        {
          sessionId: id,
          paymentMethodId: fields.data.payment_method,
          email: fields.data.email === '' ? undefined : fields.data.email,
          returnUrl: request.url(`${checkoutPagePath(id)}/return`),
        },
        deps,
      );
      return answerOf(outcome);
    } catch (error) {
      return formAgain(request, id, error, form);
    }
  }),
);

const back = plainHttpHandler(params, (request) =>
  answering(request, async (id) => {
    try {
      return answerOf(await returnFromAuthentication(id, deps));
    } catch (error) {
      return formAgain(request, id, error, {});
    }
  }),
);

export const handler = byRoute('checkoutPage', {
  'GET /checkout/{sessionId}': show,
  'POST /checkout/{sessionId}': pay,
  'GET /checkout/{sessionId}/return': back,
});
