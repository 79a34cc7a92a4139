/** The owner's side of merchant onboarding (shared/app/merchants/onboarding.ts), on in-memory fakes. */
import {
  createMerchant,
  MAX_CODE_ATTEMPTS,
  merchantOf,
  resendVerificationCode,
  submitKyc,
  verifyEmail,
} from '../../../../shared/app/merchants/onboarding.js';
import { DomainError } from '../../../../shared/domain/errors.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import {
  FakeDocuments,
  InMemoryMerchants,
  InMemoryReviews,
  InMemoryVerifications,
  RecordingMailer,
  RecordingOnboardingWorkflow,
  sequentialCodes,
} from '../../../support/fakes/onboarding.js';

const OWNER = { userId: '@alice:tween.example', roles: [] as string[] };
const STRANGER = { userId: '@mallory:tween.example', roles: [] as string[] };
const OPS = { userId: '@ops:tween.example', roles: ['ops'] };

function setup() {
  const clock = fixedClock('2026-12-07T12:00:00.000Z');
  const merchants = new InMemoryMerchants();
  const verifications = new InMemoryVerifications();
  const mailer = new RecordingMailer();
  const documents = new FakeDocuments();
  const reviews = new InMemoryReviews();
  const workflow = new RecordingOnboardingWorkflow();
  const deps = {
    merchants,
    verifications,
    mailer,
    codes: sequentialCodes(),
    ids: sequentialIds(),
    clock,
    codeTtlSeconds: 900,
  };
  const submitDeps = { merchants, documents, reviews, workflow, clock, reviewSeconds: 1_209_600 };
  return { clock, merchants, verifications, mailer, documents, reviews, workflow, deps, submitDeps };
}

const input = {
  owner: OWNER.userId,
  name: 'Corner Café',
  email: 'owner@shop.example',
  country: 'US',
  businessType: 'company' as const,
};

async function failureOf(run: () => Promise<unknown>): Promise<DomainError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

function codeIn(mailer: RecordingMailer): string {
  const code = /\d{6}/.exec(mailer.sent.at(-1)?.text ?? '')?.[0];
  if (code === undefined) throw new Error('no code emailed');
  return code;
}

describe('Function: createMerchant', () => {
  it('stores a pending merchant and only the hash of the code it emails, valid for the TTL', async () => {
    // Arrange
    const { deps, merchants, verifications, mailer } = setup();

    // Act
    const merchant = await createMerchant(input, deps);

    // Assert
    expect(merchant).toMatchObject({ merchantId: 'mch_1', status: 'pending_verification', reserveBps: 0 });
    expect(await merchants.get('mch_1')).toEqual(merchant);
    expect(mailer.sent).toEqual([expect.objectContaining({ to: 'owner@shop.example' })]);
    const code = codeIn(mailer);
    expect(await verifications.get('mch_1')).toEqual({
      merchantId: 'mch_1',
      codeHash: `hash(mch_1:${code})`,
      expiresAt: '2026-12-07T12:15:00.000Z',
      attempts: 0,
      sentAt: '2026-12-07T12:00:00.000Z',
    });
    expect(JSON.stringify([...verifications.items.values()])).not.toContain(`"${code}"`);
  });

  it('stores nothing and answers DEPENDENCY_UNAVAILABLE when the mail service is down', async () => {
    // Arrange
    const { deps, merchants, verifications, mailer } = setup();
    mailer.failNext();

    // Act
    const error = await failureOf(() => createMerchant(input, deps));

    // Assert
    expect(error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(merchants.items.size).toBe(0);
    expect(verifications.items.size).toBe(0);
  });
});

describe('Function: verifyEmail', () => {
  it('moves the merchant to kyc_required with the emailed code, and forgets the code', async () => {
    // Arrange
    const { deps, mailer, verifications } = setup();
    await createMerchant(input, deps);

    // Act
    const verified = await verifyEmail(OWNER, 'mch_1', codeIn(mailer), deps);

    // Assert
    expect(verified.status).toBe('kyc_required');
    expect(verifications.items.size).toBe(0);
  });

  it('refuses a wrong code with the attempts left, and counts it', async () => {
    // Arrange
    const { deps, verifications } = setup();
    await createMerchant(input, deps);

    // Act
    const error = await failureOf(() => verifyEmail(OWNER, 'mch_1', '999999', deps));

    // Assert
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.details).toEqual({
      field: 'code',
      reason: 'mismatch',
      attempts_left: MAX_CODE_ATTEMPTS - 1,
    });
    expect((await verifications.get('mch_1'))?.attempts).toBe(1);
  });

  it('refuses even the right code after too many wrong ones, until a new code is sent', async () => {
    // Arrange
    const { deps, mailer } = setup();
    await createMerchant(input, deps);
    const code = codeIn(mailer);
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i += 1) {
      await failureOf(() => verifyEmail(OWNER, 'mch_1', '999999', deps));
    }

    // Act
    const locked = await failureOf(() => verifyEmail(OWNER, 'mch_1', code, deps));
    await resendVerificationCode(OWNER, 'mch_1', deps);
    const verified = await verifyEmail(OWNER, 'mch_1', codeIn(mailer), deps);

    // Assert
    expect(locked.details).toMatchObject({ reason: 'too_many_attempts' });
    expect(verified.status).toBe('kyc_required');
  });

  it('refuses an expired code', async () => {
    // Arrange
    const { deps, mailer, clock } = setup();
    await createMerchant(input, deps);
    clock.advance(901_000);

    // Act
    const error = await failureOf(() => verifyEmail(OWNER, 'mch_1', codeIn(mailer), deps));

    // Assert
    expect([error.code, error.details?.reason]).toEqual(['VALIDATION_ERROR', 'expired']);
  });

  it("answers NOT_FOUND to someone else's merchant and MERCHANT_STATE once verified", async () => {
    // Arrange
    const { deps, mailer } = setup();
    await createMerchant(input, deps);
    const code = codeIn(mailer);

    // Act
    const stranger = await failureOf(() => verifyEmail(STRANGER, 'mch_1', code, deps));
    await verifyEmail(OWNER, 'mch_1', code, deps);
    const again = await failureOf(() => verifyEmail(OWNER, 'mch_1', code, deps));

    // Assert
    expect(stranger.code).toBe('NOT_FOUND');
    expect(again.code).toBe('MERCHANT_STATE');
  });
});

describe('Function: resendVerificationCode', () => {
  it('keeps the old code working when the mail service is down, and replaces it once a new one is sent', async () => {
    // Arrange
    const { deps, mailer, merchants } = setup();
    await createMerchant(input, deps);
    const first = codeIn(mailer);
    mailer.failNext();

    // Act
    const down = await failureOf(() => resendVerificationCode(OWNER, 'mch_1', deps));
    const oldStillValid = (await deps.verifications.get('mch_1'))?.codeHash === `hash(mch_1:${first})`;
    await resendVerificationCode(OWNER, 'mch_1', deps);
    const withOld = await failureOf(() => verifyEmail(OWNER, 'mch_1', first, deps));

    // Assert
    expect(down.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(oldStillValid).toBe(true);
    expect((await merchants.get('mch_1'))?.status).toBe('pending_verification');
    expect(withOld.details).toMatchObject({ reason: 'mismatch' });
    expect(codeIn(mailer)).not.toBe(first);
  });
});

describe('Function: submitKyc', () => {
  async function verified() {
    const context = setup();
    await createMerchant(input, context.deps);
    await verifyEmail(OWNER, 'mch_1', codeIn(context.mailer), context.deps);
    return context;
  }

  it('refuses a submission without an uploaded document, changing nothing', async () => {
    // Arrange
    const { submitDeps, merchants, workflow } = await verified();

    // Act
    const error = await failureOf(() => submitKyc(OWNER, 'mch_1', submitDeps));

    // Assert
    expect([error.code, error.details]).toEqual(['VALIDATION_ERROR', { field: 'documents' }]);
    expect((await merchants.get('mch_1'))?.status).toBe('kyc_required');
    expect(workflow.starts).toEqual([]);
  });

  it('puts the merchant in review and starts an execution named by the merchant, then <id>-2 on resubmission', async () => {
    // Arrange
    const { submitDeps, documents, merchants, workflow } = await verified();
    documents.uploaded.add('mch_1');

    // Act
    const submitted = await submitKyc(OWNER, 'mch_1', submitDeps);
    await merchants.transition('mch_1', 'reject', '2026-12-07T13:00:00.000Z', { reviewReason: 'blurred' });
    const resubmitted = await submitKyc(OWNER, 'mch_1', submitDeps);

    // Assert
    expect(submitted.status).toBe('in_review');
    expect(resubmitted.status).toBe('in_review');
    expect(workflow.starts).toEqual([
      { name: 'mch_1', input: { merchantId: 'mch_1', submission: 1, reviewSeconds: 1_209_600 } },
      { name: 'mch_1-2', input: { merchantId: 'mch_1', submission: 2, reviewSeconds: 1_209_600 } },
    ]);
  });

  it.each(['kyc_required', 'rejected'] as const)(
    'puts a %s merchant back when its execution cannot be started; submitting again starts the next submission',
    async (from) => {
      // Arrange
      const { submitDeps, documents, merchants, workflow } = await verified();
      documents.uploaded.add('mch_1');
      if (from === 'rejected') {
        await merchants.transition('mch_1', 'submit_kyc', '2026-12-07T11:00:00.000Z');
        await merchants.transition('mch_1', 'reject', '2026-12-07T11:30:00.000Z', {
          reviewReason: 'blurred',
        });
      }
      const outage = new Error('Step Functions is unavailable');
      const failingStarter = {
        ...submitDeps,
        workflow: { start: () => Promise.reject(outage), resume: workflow.resume.bind(workflow) },
      };

      // Act
      const failure = await submitKyc(OWNER, 'mch_1', failingStarter).catch((error: unknown) => error);
      const afterFailure = await merchants.get('mch_1');
      const retried = await submitKyc(OWNER, 'mch_1', submitDeps);

      // Assert
      expect(failure).toBe(outage);
      expect(afterFailure?.status).toBe(from);
      expect(retried.status).toBe('in_review');
      expect(workflow.starts.map((start) => start.name)).toEqual(['mch_1-2']);
    },
  );

  it('leaves the merchant alone when something moved it after the submission that failed to start', async () => {
    // Arrange
    const { submitDeps, documents, merchants, workflow } = await verified();
    documents.uploaded.add('mch_1');
    const start = () =>
      merchants
        .transition('mch_1', 'approve', '2026-12-07T12:30:00.000Z')
        .then(() => Promise.reject(new Error('timed out')));
    const racing = { ...submitDeps, workflow: { start, resume: workflow.resume.bind(workflow) } };

    // Act
    await expect(submitKyc(OWNER, 'mch_1', racing)).rejects.toThrow('timed out');

    // Assert
    expect((await merchants.get('mch_1'))?.status).toBe('active');
  });

  it('answers MERCHANT_STATE before the email is verified', async () => {
    // Arrange
    const { deps, submitDeps, documents } = setup();
    await createMerchant(input, deps);
    documents.uploaded.add('mch_1');

    // Act
    const error = await failureOf(() => submitKyc(OWNER, 'mch_1', submitDeps));

    // Assert
    expect(error.code).toBe('MERCHANT_STATE');
  });
});

describe('Function: merchantOf', () => {
  it('shows the merchant to its owner and ops, and NOT_FOUND to anyone else', async () => {
    // Arrange
    const { deps, merchants } = setup();
    await createMerchant(input, deps);

    // Act
    const forOwner = await merchantOf(OWNER, 'mch_1', merchants);
    const forOps = await merchantOf(OPS, 'mch_1', merchants);
    const forStranger = await failureOf(() => merchantOf(STRANGER, 'mch_1', merchants));

    // Assert
    expect(forOwner.merchantId).toBe('mch_1');
    expect(forOps).toEqual(forOwner);
    expect(forStranger.code).toBe('NOT_FOUND');
  });
});
