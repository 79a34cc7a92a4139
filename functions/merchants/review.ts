/** Ops over merchant onboarding: the review queue and the decision. Both need the `ops` role. */
import { systemClock } from '../../shared/adapters/clock.js';
import { listMerchants, reviewMerchant } from '../../shared/app/merchants/review.js';
import { connectAccounts } from '../../shared/composition/connect.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { httpHandler } from '../../shared/composition/http.js';
import { merchants } from '../../shared/composition/merchants.js';
import { onboardingReviews } from '../../shared/composition/onboarding.js';
import { workflows } from '../../shared/composition/workflows.js';
import { byRoute } from '../../shared/http/handler.js';
import { MerchantIdParams, MerchantsQuery, ReviewRequest } from '../../shared/http/schemas/merchants.js';
import { listView } from '../../shared/http/views/list.js';
import { merchantView } from '../../shared/http/views/merchant.js';

const deps = {
  merchants: merchants(),
  reviews: onboardingReviews(),
  workflow: workflows('merchantOnboarding'),
  clock: systemClock,
};

const list = httpHandler({ query: MerchantsQuery }, async (request) => {
  const { status, limit, cursor } = request.query;
  const page = await listMerchants(
    request.caller().roles,
    { status, limit, ...(cursor === undefined ? {} : { cursor }) },
    { merchants: deps.merchants, cursors: await cursorCodec() },
  );
  return { status: 200, body: listView(page.merchants.map(merchantView), page.nextCursor) };
});

const review = httpHandler({ params: MerchantIdParams, body: ReviewRequest }, async (request) => {
  const { decision, reason } = request.body;
  const merchant = await reviewMerchant(
    request.caller().roles,
    request.params.merchantId,
    { decision, ...(reason === undefined ? {} : { reason }) },
    { ...deps, accounts: await connectAccounts() },
  );
  return { status: 200, body: merchantView(merchant) };
});

export const handler = byRoute('merchantReview', {
  'GET /ops/v1/merchants': list,
  'POST /ops/v1/merchants/{merchantId}/review': review,
});
