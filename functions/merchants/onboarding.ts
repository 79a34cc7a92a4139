/** The merchant owner's onboarding routes: create, read, verify the email, resend the code, submit KYC. */
import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import {
  createMerchant,
  merchantOf,
  resendVerificationCode,
  submitKyc,
  updateMerchantContact,
  verifyEmail,
} from '../../shared/app/merchants/onboarding.js';
import { httpHandler } from '../../shared/composition/http.js';
import { kycDocuments } from '../../shared/composition/kyc.js';
import { merchants } from '../../shared/composition/merchants.js';
import {
  emailVerifications,
  mailer,
  onboardingReviews,
  onboardingSettings,
  verificationCodes,
} from '../../shared/composition/onboarding.js';
import { workflows } from '../../shared/composition/workflows.js';
import { byRoute } from '../../shared/http/handler.js';
import {
  CreateMerchantRequest,
  MerchantIdParams,
  UpdateMerchantRequest,
  VerifyEmailRequest,
} from '../../shared/http/schemas/merchants.js';
import { merchantView } from '../../shared/http/views/merchant.js';

const settings = onboardingSettings();
const deps = {
  merchants: merchants(),
  verifications: emailVerifications(),
  mailer: mailer(),
  ids: randomIds,
  clock: systemClock,
  codeTtlSeconds: settings.codeTtlSeconds,
};
const submitDeps = {
  merchants: merchants(),
  documents: kycDocuments(),
  reviews: onboardingReviews(),
  workflow: workflows('merchantOnboarding'),
  clock: systemClock,
  reviewSeconds: settings.reviewSeconds,
};

const create = httpHandler({ body: CreateMerchantRequest }, async (request) => {
  const { name, email, phone, country, business_type: businessType } = request.body;
  const merchant = await createMerchant(
    {
      owner: request.caller().userId,
      name,
      email,
      ...(phone === undefined ? {} : { phone }),
      country,
      businessType,
    },
    { ...deps, codes: await verificationCodes() },
  );
  return { status: 201, body: merchantView(merchant) };
});

const read = httpHandler({ params: MerchantIdParams }, async (request) => ({
  status: 200,
  body: merchantView(await merchantOf(request.caller(), request.params.merchantId, deps.merchants)),
}));

const update = httpHandler({ params: MerchantIdParams, body: UpdateMerchantRequest }, async (request) => ({
  status: 200,
  body: merchantView(
    await updateMerchantContact(request.caller(), request.params.merchantId, request.body, deps),
  ),
}));

const verify = httpHandler({ params: MerchantIdParams, body: VerifyEmailRequest }, async (request) => {
  const merchant = await verifyEmail(request.caller(), request.params.merchantId, request.body.code, {
    ...deps,
    codes: await verificationCodes(),
  });
  return { status: 200, body: merchantView(merchant) };
});

const resend = httpHandler({ params: MerchantIdParams }, async (request) => {
  const merchant = await resendVerificationCode(request.caller(), request.params.merchantId, {
    ...deps,
    codes: await verificationCodes(),
  });
  return { status: 202, body: merchantView(merchant) };
});

const submit = httpHandler({ params: MerchantIdParams }, async (request) => ({
  status: 202,
  body: merchantView(await submitKyc(request.caller(), request.params.merchantId, submitDeps)),
}));

export const handler = byRoute('merchantOnboarding', {
  'POST /merchant/v1/merchants': create,
  'GET /merchant/v1/merchants/{merchantId}': read,
  'POST /merchant/v1/merchants/{merchantId}': update,
  'POST /merchant/v1/merchants/{merchantId}/verify-email': verify,
  'POST /merchant/v1/merchants/{merchantId}/verify-email/resend': resend,
  'POST /merchant/v1/merchants/{merchantId}/kyc/submit': submit,
});
