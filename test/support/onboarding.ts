/** Merchant onboarding over HTTP against a local stack (the shared one, or a file's own), step by step. */
import { randomUUID } from 'node:crypto';
import { tokenFor } from './api.js';
import { waitFor } from './stack.js';

export interface MerchantBody {
  id: string;
  object: string;
  status: string;
  owner: string;
  name: string;
  email: string;
  country: string;
  business_type: string;
  reserve_bps: number;
  connected_account_id: string | null;
  review_reason: string | null;
  created: number;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

export interface EmailBody {
  to: string;
  subject: string;
  text: string;
  html: string;
  created: number;
}

export interface Answer<T> {
  status: number;
  body: T;
}

export interface OnboardingClient {
  call<T = MerchantBody>(method: string, path: string, token?: string, body?: unknown): Promise<Answer<T>>;
  newOwner(): Promise<{ userId: string; token: string }>;
  opsToken(): Promise<string>;
  create(token: string, email?: string): Promise<Answer<MerchantBody>>;
  emails(to: string): Promise<EmailBody[]>;
  /** The code of the newest email to `to`, once at least `count` emails arrived. */
  codeSentTo(to: string, count?: number): Promise<string>;
  /** Uploads a KYC document for the merchant through the presigned URL, as its owner would. */
  uploadDocument(merchantId: string, token: string): Promise<void>;
  /** Create → verify → document → submit: a merchant in review. */
  inReview(token: string): Promise<MerchantBody>;
}

const MINIMAL_PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

export function onboardingClient(apiUrl: string): OnboardingClient {
  const client: OnboardingClient = {
    async call<T>(method: string, path: string, token?: string, body?: unknown) {
      const headers: Record<string, string> = {};
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
    },
    async newOwner() {
      const userId = `@mch${randomUUID().slice(0, 8)}:tween.example`;
      return { userId, token: await tokenFor(userId) };
    },
    opsToken: () => tokenFor('@ops:tween.example', { roles: ['ops'] }),
    create(token, email = `owner-${randomUUID().slice(0, 8)}@shop.example`) {
      return client.call('POST', '/merchant/v1/merchants', token, {
        name: 'Corner Café <b>',
        email,
        country: 'US',
        business_type: 'company',
      });
    },
    async emails(to) {
      const answer = await client.call<{ data: EmailBody[] }>(
        'GET',
        `/local/emails?to=${encodeURIComponent(to)}`,
      );
      return answer.body.data;
    },
    async codeSentTo(to, count = 1) {
      const emails = await waitFor(async () => {
        const found = await client.emails(to);
        return found.length >= count ? found : undefined;
      }, `${count} email(s) to ${to}`);
      const code = /\b(\d{6})\b/.exec(emails.at(-1)?.subject ?? '')?.[1];
      if (code === undefined) throw new Error(`No code in the email to ${to}`);
      return code;
    },
    async uploadDocument(merchantId, token) {
      // As an owner does it: ask for a presigned URL, PUT the file to the S3 engine with the signed type.
      const asked = await client.call<{ upload_url: string }>(
        'POST',
        `/merchant/v1/merchants/${merchantId}/kyc/documents`,
        token,
        { type: 'id_document', file_name: 'passport.pdf', content_type: 'application/pdf' },
      );
      if (asked.status !== 201) throw new Error(`kyc/documents answered ${asked.status}`);
      const put = await fetch(asked.body.upload_url, {
        method: 'PUT',
        headers: { 'content-type': 'application/pdf' },
        body: MINIMAL_PDF,
      });
      if (!put.ok) throw new Error(`the upload answered ${put.status}`);
    },
    async inReview(token) {
      const created = await client.create(token);
      const code = await client.codeSentTo(created.body.email);
      const verified = await client.call(
        'POST',
        `/merchant/v1/merchants/${created.body.id}/verify-email`,
        token,
        {
          code,
        },
      );
      if (verified.status !== 200) throw new Error(`verify answered ${verified.status}`);
      await client.uploadDocument(created.body.id, token);
      const submitted = await client.call(
        'POST',
        `/merchant/v1/merchants/${created.body.id}/kyc/submit`,
        token,
      );
      if (submitted.status !== 202) throw new Error(`submit answered ${submitted.status}`);
      return submitted.body;
    },
  };
  return client;
}
