import { S3Client } from '@aws-sdk/client-s3';
import { s3ClientConfig } from '../../../../shared/adapters/aws/s3-client.js';
import { kycObjectKey, S3KycFiles } from '../../../../shared/adapters/s3/kyc-files.js';
import { CursorCodec } from '../../../../shared/app/cursor.js';
import {
  documentDownloadUrl,
  type KycDeps,
  KycUploadChecks,
  listKycDocuments,
  requestKycUpload,
} from '../../../../shared/app/kyc/documents.js';
import type { KycDocumentPage, KycDocumentStore, KycFiles } from '../../../../shared/app/kyc/ports.js';
import {
  isKycContentType,
  judgeUploadedFile,
  type KycDocument,
  MAX_KYC_DOCUMENT_BYTES,
} from '../../../../shared/domain/kyc.js';
import type { Merchant, MerchantStatus } from '../../../../shared/domain/merchant.js';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const owner = { userId: '@owner:tween.example', roles: [] };
const stranger = { userId: '@stranger:tween.example', roles: [] };
const ops = { userId: '@ops:tween.example', roles: ['ops'] };

function merchant(status: MerchantStatus): Merchant {
  return {
    merchantId: 'mch_1',
    owner: owner.userId,
    name: 'Corner Café',
    email: 'owner@merchants.example',
    country: 'US',
    businessType: 'company',
    status,
    reserveBps: 0,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
}

class MemoryDocuments implements KycDocumentStore {
  readonly items = new Map<string, KycDocument>();
  async create(document: KycDocument) {
    this.items.set(document.documentId, document);
    return document;
  }
  async get(_merchantId: string, documentId: string) {
    return this.items.get(documentId);
  }
  async list(query: { merchantId: string; limit: number; after?: string }): Promise<KycDocumentPage> {
    const all = [...this.items.values()].filter((d) => d.merchantId === query.merchantId);
    return { documents: all.slice(0, query.limit), ...(all.length > query.limit ? { after: 'DOC#x' } : {}) };
  }
  async settle(document: KycDocument, outcome: Parameters<KycDocumentStore['settle']>[1], at: string) {
    const settled = { ...document, ...outcome, updatedAt: at };
    this.items.set(document.documentId, settled);
    return settled;
  }
}

function filesHolding(file?: { size: number; contentType?: string }): KycFiles {
  return {
    uploadUrl: async (_document, now) => ({
      url: 'http://s3.local/put',
      expiresAt: now.getTime() / 1000 + 900,
    }),
    head: async () => file,
    downloadUrl: async (_document, now) => ({
      url: 'http://s3.local/get',
      expiresAt: now.getTime() / 1000 + 300,
    }),
  };
}

function deps(status: MerchantStatus, file?: { size: number; contentType?: string }) {
  const documents = new MemoryDocuments();
  const base: KycDeps = {
    merchants: { get: async (id) => (id === 'mch_1' ? merchant(status) : undefined) },
    documents,
    files: filesHolding(file),
    clock: { now: () => NOW },
  };
  return { ...base, documents, ids: { next: (prefix: string) => `${prefix}1`, derive: (p: string) => p } };
}

const pdf = { type: 'id_document', fileName: 'passport.pdf', contentType: 'application/pdf' } as const;

describe('Use case: requestKycUpload', () => {
  it('stores the document awaiting its file and answers the presigned URL, for the owner of a kyc_required merchant', async () => {
    const d = deps('kyc_required');
    const { document, upload } = await requestKycUpload(owner, 'mch_1', pdf, d);
    expect(document).toMatchObject({
      documentId: 'doc_1',
      status: 'awaiting_upload',
      documentType: 'id_document',
    });
    expect(upload.url).toBe('http://s3.local/put');
    expect(d.documents.items.size).toBe(1);
  });

  it('allows a rejected merchant to upload again', async () => {
    await expect(requestKycUpload(owner, 'mch_1', pdf, deps('rejected'))).resolves.toBeDefined();
  });

  it.each(['pending_verification', 'in_review', 'active'] as const)(
    'refuses a %s merchant with MERCHANT_STATE',
    async (status) => {
      await expect(requestKycUpload(owner, 'mch_1', pdf, deps(status))).rejects.toMatchObject({
        code: 'MERCHANT_STATE',
      });
    },
  );

  it('answers NOT_FOUND to anyone but the owner, ops included, and for an unknown merchant', async () => {
    for (const caller of [stranger, ops]) {
      await expect(requestKycUpload(caller, 'mch_1', pdf, deps('kyc_required'))).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    }
    await expect(requestKycUpload(owner, 'mch_2', pdf, deps('kyc_required'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuses a content type other than PDF, PNG or JPEG', async () => {
    await expect(
      requestKycUpload(owner, 'mch_1', { ...pdf, contentType: 'text/html' }, deps('kyc_required')),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});

describe('Rules: content types and sizes', () => {
  it('takes PDF, PNG and JPEG only', () => {
    expect(['application/pdf', 'image/png', 'image/jpeg'].every(isKycContentType)).toBe(true);
    expect(['image/gif', 'text/html', 'application/pdf; charset=x', ''].some(isKycContentType)).toBe(false);
  });

  it('accepts a file of the declared type up to 10 MB and rejects a larger one or another type', () => {
    const document = { contentType: 'application/pdf' } as KycDocument;
    expect(
      judgeUploadedFile(document, { size: MAX_KYC_DOCUMENT_BYTES, contentType: 'application/pdf' }),
    ).toEqual({
      status: 'uploaded',
      size: MAX_KYC_DOCUMENT_BYTES,
    });
    expect(
      judgeUploadedFile(document, { size: MAX_KYC_DOCUMENT_BYTES + 1, contentType: 'application/pdf' }),
    ).toEqual({
      status: 'rejected',
      size: MAX_KYC_DOCUMENT_BYTES + 1,
      rejection: 'too_large',
    });
    expect(judgeUploadedFile(document, { size: 10, contentType: 'image/png' })).toMatchObject({
      status: 'rejected',
      rejection: 'content_type_mismatch',
    });
  });
});

describe('Port: KycDocuments (KycUploadChecks)', () => {
  it('counts a document whose file the store holds, and settles it uploaded', async () => {
    const d = deps('kyc_required', { size: 1234, contentType: 'application/pdf' });
    await requestKycUpload(owner, 'mch_1', pdf, d);
    await expect(new KycUploadChecks(d).anyUploaded('mch_1')).resolves.toBe(true);
    expect(d.documents.items.get('doc_1')).toMatchObject({ status: 'uploaded', size: 1234 });
  });

  it('counts nothing while no file arrived, or when the file is too large', async () => {
    const waiting = deps('kyc_required');
    await requestKycUpload(owner, 'mch_1', pdf, waiting);
    await expect(new KycUploadChecks(waiting).anyUploaded('mch_1')).resolves.toBe(false);
    const large = deps('kyc_required', { size: MAX_KYC_DOCUMENT_BYTES + 1, contentType: 'application/pdf' });
    await requestKycUpload(owner, 'mch_1', pdf, large);
    await expect(new KycUploadChecks(large).anyUploaded('mch_1')).resolves.toBe(false);
    expect(large.documents.items.get('doc_1')).toMatchObject({ status: 'rejected', rejection: 'too_large' });
  });
});

describe('Use cases: listKycDocuments and documentDownloadUrl', () => {
  const cursors = new CursorCodec('a-cursor-secret-for-the-unit-tests-0123456789');

  it('lists for the owner and ops, NOT_FOUND for anyone else', async () => {
    const d = deps('in_review', { size: 5, contentType: 'application/pdf' });
    await d.documents.create({
      ...(await requestKycUpload(owner, 'mch_1', pdf, deps('kyc_required'))).document,
    });
    const listed = await listKycDocuments(owner, 'mch_1', { limit: 10 }, { ...d, cursors });
    expect(listed.documents).toEqual([expect.objectContaining({ status: 'uploaded' })]);
    expect(listed.nextCursor).toBeNull();
    await expect(listKycDocuments(ops, 'mch_1', { limit: 10 }, { ...d, cursors })).resolves.toBeDefined();
    await expect(listKycDocuments(stranger, 'mch_1', { limit: 10 }, { ...d, cursors })).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
  });

  it('signs a download URL for ops only, and only for an uploaded document', async () => {
    const d = deps('in_review', { size: 5, contentType: 'application/pdf' });
    await d.documents.create({
      ...(await requestKycUpload(owner, 'mch_1', pdf, deps('kyc_required'))).document,
    });
    await expect(documentDownloadUrl(ops, 'mch_1', 'doc_1', d)).resolves.toMatchObject({
      url: 'http://s3.local/get',
    });
    await expect(documentDownloadUrl(owner, 'mch_1', 'doc_1', d)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(documentDownloadUrl(ops, 'mch_1', 'doc_2', d)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('Adapter: S3KycFiles', () => {
  const document: KycDocument = {
    documentId: 'doc_abc',
    merchantId: 'mch_xyz',
    documentType: 'pan',
    fileName: 'pan card.pdf',
    contentType: 'application/pdf',
    status: 'awaiting_upload',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
  const files = new S3KycFiles(
    new S3Client({
      ...s3ClientConfig({ S3_FORCE_PATH_STYLE: 'true' }),
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4568',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    'kyc-bucket',
  );

  it('keys each file kyc/<merchant>/<document>, never by the file name, and refuses ids that are not ids', () => {
    expect(kycObjectKey('mch_xyz', 'doc_abc')).toBe('kyc/mch_xyz/doc_abc');
    expect(() => kycObjectKey('mch_xyz', '../doc')).toThrow();
    expect(() => kycObjectKey('mch/x', 'doc_abc')).toThrow();
  });

  it('signs the content type into a path-style PUT URL valid 15 minutes, with no checksum of an empty body', async () => {
    const upload = await files.uploadUrl(document, NOW);
    const url = new URL(upload.url);
    expect(url.pathname).toBe('/kyc-bucket/kyc/mch_xyz/doc_abc');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261207T120000Z');
    expect([...url.searchParams.keys()].some((key) => key.startsWith('x-amz-checksum'))).toBe(false);
    expect(upload.expiresAt).toBe(NOW.getTime() / 1000 + 900);
  });

  it('signs a GET URL that serves the file as an attachment under its name', async () => {
    const url = new URL((await files.downloadUrl(document, NOW)).url);
    expect(url.searchParams.get('response-content-disposition')).toBe(
      "attachment; filename*=UTF-8''pan%20card.pdf",
    );
  });
});
