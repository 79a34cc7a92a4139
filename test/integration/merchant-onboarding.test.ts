/**
 * Merchant onboarding over HTTP on the shared local stack, as API.md "Onboarding" describes it: create (a
 * code is emailed, read back through /local/emails), verify, submit with an uploaded document, the ops
 * queue, approve (a Stripe connected account) or reject and resubmit; who may see and do what. The
 * outages (mail, Stripe) are in merchant-onboarding-outages.test.ts, on a stack of their own.
 */
import { apiUrl } from '../support/api.js';
import { type MerchantBody, onboardingClient } from '../support/onboarding.js';
import { waitFor } from '../support/stack.js';

const client = onboardingClient(apiUrl());
const { call } = client;

interface ExecutionBody {
  status: string;
}

describe('Merchant onboarding', () => {
  it('walks create → emailed code → verify → submit → ops queue → approve, and the owner reads it active with an account', async () => {
    // Arrange
    const owner = await client.newOwner();
    const ops = await client.opsToken();

    // Act
    const created = await client.create(owner.token);
    const code = await client.codeSentTo(created.body.email);
    const verified = await call(
      'POST',
      `/merchant/v1/merchants/${created.body.id}/verify-email`,
      owner.token,
      {
        code,
      },
    );
    const early = await call('POST', `/merchant/v1/merchants/${created.body.id}/kyc/submit`, owner.token);
    await client.uploadDocument(created.body.id, owner.token);
    const submitted = await call('POST', `/merchant/v1/merchants/${created.body.id}/kyc/submit`, owner.token);
    const queue = await call<{
      object: string;
      data: MerchantBody[];
      has_more: boolean;
      next_cursor: string | null;
    }>('GET', '/ops/v1/merchants?status=in_review&limit=100', ops);
    const approved = await call('POST', `/ops/v1/merchants/${created.body.id}/review`, ops, {
      decision: 'approve',
    });
    const read = await call('GET', `/merchant/v1/merchants/${created.body.id}`, owner.token);

    // Assert
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^mch_/),
      object: 'merchant',
      status: 'pending_verification',
      owner: owner.userId,
      name: 'Corner Café <b>',
      email: created.body.email,
      phone: null,
      country: 'US',
      business_type: 'company',
      reserve_bps: 0,
      connected_account_id: null,
      review_reason: null,
      created: expect.any(Number),
    });
    expect(Math.abs(created.body.created - Date.now() / 1000)).toBeLessThan(60);
    const [email] = await client.emails(created.body.email);
    expect(email).toEqual({
      to: created.body.email,
      subject: expect.stringContaining(code),
      text: expect.stringContaining(code),
      html: expect.stringContaining('Corner Café &lt;b&gt;'),
      created: expect.any(Number),
    });
    expect([verified.status, verified.body.status]).toEqual([200, 'kyc_required']);
    expect([early.status, early.body.error?.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect([submitted.status, submitted.body.status]).toEqual([202, 'in_review']);
    expect(queue.status).toBe(200);
    expect(queue.body.object).toBe('list');
    expect(queue.body.data.map((merchant) => merchant.id)).toContain(created.body.id);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('active');
    expect(approved.body.connected_account_id).toMatch(/^acct_/);
    expect(read.body).toEqual(approved.body);
    const execution = await waitFor(async () => {
      const answer = await call<ExecutionBody>('GET', `/local/executions/${created.body.id}`);
      return answer.body.status === 'SUCCEEDED' ? answer.body : undefined;
    }, 'the onboarding execution to end');
    expect(execution.status).toBe('SUCCEEDED');
    const approval = await waitFor(async () => {
      const emails = await client.emails(created.body.email);
      return emails.length >= 2 ? emails.at(-1) : undefined;
    }, 'the approval email');
    expect(approval.subject).toMatch(/is approved/);
    // The decision's email is the notifier's, listed for the merchant (test mode), and sent once
    const key = await call<{ secret: string }>(
      'POST',
      `/merchant/v1/merchants/${created.body.id}/api-keys`,
      owner.token,
      {
        mode: 'test',
        name: 'notifications',
      },
    );
    const listed = await waitFor(async () => {
      const answer = await call<{ data: { template: string; status: string; channel: string }[] }>(
        'GET',
        '/v1/notifications',
        key.body.secret,
      );
      return answer.body.data.find((notification) => notification.template === 'merchant_approved');
    }, 'the approval in the notifications');
    expect(listed).toMatchObject({ channel: 'email', status: 'sent' });
    expect(await client.emails(created.body.email)).toHaveLength(2);
  });

  it('answers a wrong code 400 with the attempts left, and refuses a second verification with 409', async () => {
    // Arrange
    const owner = await client.newOwner();
    const created = await client.create(owner.token);
    const code = await client.codeSentTo(created.body.email);
    const wrong = code === '000000' ? '111111' : '000000';
    const path = `/merchant/v1/merchants/${created.body.id}/verify-email`;

    // Act
    const refused = await call('POST', path, owner.token, { code: wrong });
    const malformed = await call('POST', path, owner.token, { code: '12ab' });
    const verified = await call('POST', path, owner.token, { code });
    const again = await call('POST', path, owner.token, { code });

    // Assert
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { field: 'code', reason: 'mismatch', attempts_left: 4 },
    });
    expect([malformed.status, malformed.body.error?.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect(verified.status).toBe(200);
    expect([again.status, again.body.error?.code]).toEqual([409, 'MERCHANT_STATE']);
  });

  it('makes the previous code useless once a new one is sent', async () => {
    // Arrange
    const owner = await client.newOwner();
    const created = await client.create(owner.token);
    const first = await client.codeSentTo(created.body.email);
    const path = `/merchant/v1/merchants/${created.body.id}/verify-email`;

    // Act
    const resent = await call('POST', `${path}/resend`, owner.token);
    const second = await client.codeSentTo(created.body.email, 2);
    const withFirst = first === second ? undefined : await call('POST', path, owner.token, { code: first });
    const withSecond = await call('POST', path, owner.token, { code: second });

    // Assert
    expect([resent.status, resent.body.status]).toEqual([202, 'pending_verification']);
    if (withFirst !== undefined) expect(withFirst.status).toBe(400);
    expect([withSecond.status, withSecond.body.status]).toEqual([200, 'kyc_required']);
  });

  it('rejects with a reason (emailed), lets the owner resubmit into a new execution, and refuses a second decision with 409', async () => {
    // Arrange
    const owner = await client.newOwner();
    const ops = await client.opsToken();
    const merchant = await client.inReview(owner.token);
    const review = `/ops/v1/merchants/${merchant.id}/review`;

    // Act
    const noReason = await call('POST', review, ops, { decision: 'reject' });
    const rejected = await call('POST', review, ops, {
      decision: 'reject',
      reason: 'The ID document is blurred',
    });
    const second = await call('POST', review, ops, { decision: 'approve' });
    const resubmitted = await call('POST', `/merchant/v1/merchants/${merchant.id}/kyc/submit`, owner.token);
    const approved = await call('POST', review, ops, { decision: 'approve' });

    // Assert
    expect([noReason.status, noReason.body.error?.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', review_reason: 'The ID document is blurred' });
    expect([second.status, second.body.error?.code]).toEqual([409, 'MERCHANT_STATE']);
    expect([resubmitted.status, resubmitted.body.status]).toEqual([202, 'in_review']);
    expect([approved.status, approved.body.status]).toEqual([200, 'active']);
    const rejection = await waitFor(async () => {
      const emails = await client.emails(merchant.email);
      return emails.find((email) => email.text.includes('The ID document is blurred'));
    }, 'the rejection email');
    expect(rejection.subject).toMatch(/not approved/);
    const resubmission = await waitFor(async () => {
      const answer = await call<ExecutionBody>('GET', `/local/executions/${merchant.id}-2`);
      return answer.body.status === 'SUCCEEDED' ? answer.body : undefined;
    }, 'the resubmission execution to end');
    expect(resubmission.status).toBe('SUCCEEDED');
  });

  it('hides a merchant from other users (404) and keeps the ops routes for the ops role (403)', async () => {
    // Arrange
    const owner = await client.newOwner();
    const stranger = await client.newOwner();
    const ops = await client.opsToken();
    const created = await client.create(owner.token);
    const code = await client.codeSentTo(created.body.email);
    const id = created.body.id;

    // Act
    const answers = {
      read: (await call('GET', `/merchant/v1/merchants/${id}`, stranger.token)).status,
      verify: (await call('POST', `/merchant/v1/merchants/${id}/verify-email`, stranger.token, { code }))
        .status,
      resend: (await call('POST', `/merchant/v1/merchants/${id}/verify-email/resend`, stranger.token)).status,
      submit: (await call('POST', `/merchant/v1/merchants/${id}/kyc/submit`, stranger.token)).status,
      list: (await call('GET', '/ops/v1/merchants?status=in_review', owner.token)).status,
      review: (await call('POST', `/ops/v1/merchants/${id}/review`, owner.token, { decision: 'approve' }))
        .status,
      opsRead: (await call('GET', `/merchant/v1/merchants/${id}`, ops)).status,
      opsDecidesUnreviewed: (
        await call('POST', `/ops/v1/merchants/${id}/review`, ops, { decision: 'approve' })
      ).status,
      noToken: (await call('GET', `/merchant/v1/merchants/${id}`)).status,
    };

    // Assert
    expect(answers).toEqual({
      read: 404,
      verify: 404,
      resend: 404,
      submit: 404,
      list: 403,
      review: 403,
      opsRead: 200,
      opsDecidesUnreviewed: 409,
      noToken: 401,
    });
  });

  it('pages the ops queue with signed cursors and refuses a tampered one', async () => {
    // Arrange
    const ops = await client.opsToken();
    await client.inReview((await client.newOwner()).token);
    await client.inReview((await client.newOwner()).token);

    // Act
    const first = await call<{ data: MerchantBody[]; has_more: boolean; next_cursor: string | null }>(
      'GET',
      '/ops/v1/merchants?status=in_review&limit=1',
      ops,
    );
    const cursor = first.body.next_cursor ?? '';
    const second = await call<{ data: MerchantBody[] }>(
      'GET',
      `/ops/v1/merchants?status=in_review&limit=1&cursor=${encodeURIComponent(cursor)}`,
      ops,
    );
    const tampered = await call<{ error: { code: string } }>(
      'GET',
      `/ops/v1/merchants?status=in_review&limit=1&cursor=${encodeURIComponent(`x${cursor}`)}`,
      ops,
    );
    const otherList = await call<{ error: { code: string } }>(
      'GET',
      `/ops/v1/merchants?status=active&limit=1&cursor=${encodeURIComponent(cursor)}`,
      ops,
    );

    // Assert
    expect(first.body.data).toHaveLength(1);
    expect(first.body.has_more).toBe(true);
    expect(second.body.data).toHaveLength(1);
    expect(second.body.data[0]?.id).not.toBe(first.body.data[0]?.id);
    expect([tampered.status, tampered.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect([otherList.status, otherList.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
  });
});
