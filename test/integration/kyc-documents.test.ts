/**
 * KYC documents over HTTP (#16), against the local stack's S3 engine (s3rver behind its SigV4 gate): the
 * owner asks for an upload URL, PUTs the file, and the document counts as uploaded; what the store refuses
 * (another content type, an expired URL, an unsigned request) and what the check rejects (a file over 10 MB).
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { DynamoDbKycDocuments } from '../../shared/adapters/dynamodb/kyc-documents.js';
import { DynamoDbMerchants } from '../../shared/adapters/dynamodb/merchants.js';
import { S3KycFiles } from '../../shared/adapters/s3/kyc-files.js';
import { KycUploadChecks } from '../../shared/app/kyc/documents.js';
import type { Merchant } from '../../shared/domain/merchant.js';
import { kycBucketDefinition } from '../../shared/infra/kyc-bucket.js';
import { unique } from '../contract/subject.js';
import { call, endpoint, tokenFor } from '../support/api.js';
import { localDocumentClient, TABLE_NAME } from '../support/ledger.js';

const client = localDocumentClient();
const merchants = new DynamoDbMerchants(client, TABLE_NAME);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function merchantOf(owner: string, status: Merchant['status'] = 'kyc_required'): Promise<Merchant> {
  const at = new Date().toISOString();
  return merchants.create({
    merchantId: unique('mch_'),
    owner,
    name: 'Corner Café',
    email: 'owner@merchants.example',
    country: 'US',
    businessType: 'company',
    status,
    reserveBps: 0,
    createdAt: at,
    updatedAt: at,
  });
}

interface Upload {
  id: string;
  object: string;
  status: string;
  upload_url: string;
  expires_at: number;
}

async function askUpload(merchantId: string, token: string, contentType = 'application/pdf') {
  return call<Upload>('POST', `/merchant/v1/merchants/${merchantId}/kyc/documents`, {
    token,
    body: { type: 'id_document', file_name: 'passport.pdf', content_type: contentType },
  });
}

async function listDocuments(merchantId: string, token: string) {
  return call<{ object: string; data: { id: string; status: string; size?: number; rejection?: string }[] }>(
    'GET',
    `/merchant/v1/merchants/${merchantId}/kyc/documents`,
    { token },
  );
}

describe('KYC documents over HTTP, with S3 presigned uploads', () => {
  const owner = `@${unique('kyc')}:tween.example`;
  let token: string;

  beforeAll(async () => {
    token = await tokenFor(owner);
  });

  it('hands the owner a presigned PUT URL on the S3 engine, takes the PDF and lists it as uploaded', async () => {
    // Arrange
    const merchant = await merchantOf(owner);

    // Act
    const asked = await askUpload(merchant.merchantId, token);
    const put = await fetch(asked.body.upload_url, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: PDF,
    });
    const listed = await listDocuments(merchant.merchantId, token);

    // Assert
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({
      object: 'kyc_document',
      status: 'awaiting_upload',
      type: 'id_document',
    });
    expect(asked.body.id).toMatch(/^doc_/);
    expect(asked.body.upload_url.startsWith(`${endpoint('s3')}/${kycBucketDefinition.localName}/kyc/`)).toBe(
      true,
    );
    expect(asked.body.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect(put.status).toBe(200);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ object: 'list', has_more: false, next_cursor: null });
    expect(listed.body.data).toEqual([
      expect.objectContaining({ id: asked.body.id, status: 'uploaded', size: PDF.length }),
    ]);
    await expect(new KycUploadChecks(checksDeps()).anyUploaded(merchant.merchantId)).resolves.toBe(true);
  });

  it('is refused by the S3 engine when the file is PUT with another content type than the URL signs', async () => {
    // Arrange
    const merchant = await merchantOf(owner);
    const asked = await askUpload(merchant.merchantId, token);

    // Act
    const put = await fetch(asked.body.upload_url, {
      method: 'PUT',
      headers: { 'content-type': 'text/html' },
      body: '<script>alert(1)</script>',
    });
    const listed = await listDocuments(merchant.merchantId, token);

    // Assert
    expect(put.status).toBe(403);
    expect(await put.text()).toContain('SignatureDoesNotMatch');
    expect(listed.body.data).toEqual([expect.objectContaining({ status: 'awaiting_upload' })]);
    await expect(new KycUploadChecks(checksDeps()).anyUploaded(merchant.merchantId)).resolves.toBe(false);
  });

  it('rejects a file over 10 MB when it is checked (a presigned PUT cannot bound the size)', async () => {
    // Arrange
    const merchant = await merchantOf(owner);
    const asked = await askUpload(merchant.merchantId, token);

    // Act
    const put = await fetch(asked.body.upload_url, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20),
    });
    const listed = await listDocuments(merchant.merchantId, token);

    // Assert
    expect(put.status).toBe(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ status: 'rejected', rejection: 'too_large', size: 10 * 1024 * 1024 + 1 }),
    ]);
    await expect(new KycUploadChecks(checksDeps()).anyUploaded(merchant.merchantId)).resolves.toBe(false);
  });

  it('refuses an expired upload URL and an unsigned PUT', async () => {
    // Arrange: a URL signed with the stack's credentials an hour ago, valid for a minute
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: endpoint('s3'),
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const key = `kyc/${unique('mch_')}/${unique('doc_')}`;
    const expired = await getSignedUrl(
      s3,
      new PutObjectCommand({
        Bucket: kycBucketDefinition.localName,
        Key: key,
        ContentType: 'application/pdf',
      }),
      {
        expiresIn: 60,
        signingDate: new Date(Date.now() - 3_600_000),
        signableHeaders: new Set(['content-type']),
      },
    );

    // Act
    const late = await fetch(expired, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: PDF,
    });
    const anonymous = await fetch(`${endpoint('s3')}/${kycBucketDefinition.localName}/${key}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: PDF,
    });

    // Assert
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('Request has expired');
    expect(anonymous.status).toBe(403);
  });

  it('answers 404 to anyone but the owner, lets ops list, and 409 MERCHANT_STATE once the merchant is in review', async () => {
    // Arrange
    const merchant = await merchantOf(owner);
    const inReview = await merchantOf(owner, 'in_review');
    const stranger = await tokenFor(`@${unique('stranger')}:tween.example`);
    const ops = await tokenFor(`@${unique('ops')}:tween.example`, { roles: ['ops'] });

    // Act
    const byStranger = await askUpload(merchant.merchantId, stranger);
    const listByStranger = await listDocuments(merchant.merchantId, stranger);
    const listByOps = await listDocuments(merchant.merchantId, ops);
    const uploadByOps = await askUpload(merchant.merchantId, ops);
    const wrongState = await askUpload(inReview.merchantId, token);
    const wrongType = await askUpload(merchant.merchantId, token, 'text/html');

    // Assert
    expect(byStranger.status).toBe(404);
    expect(listByStranger.status).toBe(404);
    expect(listByOps.status).toBe(200);
    expect(uploadByOps.status).toBe(404);
    expect(wrongState.status).toBe(409);
    expect(wrongState.body).toMatchObject({ error: { code: 'MERCHANT_STATE' } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
  });
});

/** The port KYC submission uses, wired as the function wires it but against the test's view of the stack. */
function checksDeps() {
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: endpoint('s3'),
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    merchants,
    documents: new DynamoDbKycDocuments(client, TABLE_NAME),
    files: new S3KycFiles(s3, kycBucketDefinition.localName),
    clock: { now: () => new Date() },
  };
}
