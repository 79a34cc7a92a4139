/**
 * KYC documents: the files a merchant's owner uploads for ops to review (API.md "Onboarding"). The owner asks
 * for an upload URL, PUTs the file to the document store, and the document counts once the store holds a file
 * of the declared type within the size limit.
 *
 *   awaiting_upload --(a file of the declared type, ≤ 10 MB, found in the store)--> uploaded
 *   awaiting_upload --(a file too large or of another type found in the store)--> rejected
 */
import { DomainError } from './errors.js';
import { type Merchant, type MerchantStatus, statusesAllowing } from './merchant.js';

export const KYC_DOCUMENT_TYPES = ['id_document', 'pan', 'gst', 'bank_account'] as const;
export type KycDocumentType = (typeof KYC_DOCUMENT_TYPES)[number];

/** What a KYC document may be: PDF, PNG or JPEG (API.md); anything else is refused before a URL is issued. */
export const KYC_CONTENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type KycContentType = (typeof KYC_CONTENT_TYPES)[number];

/** The largest file a document may be: 10 MB (API.md), in bytes. */
export const MAX_KYC_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** How long an upload URL works: long enough for a slow phone upload of 10 MB, short enough to leak little. */
export const KYC_UPLOAD_URL_TTL_SECONDS = 900;

export const KYC_DOCUMENT_STATUSES = ['awaiting_upload', 'uploaded', 'rejected'] as const;
export type KycDocumentStatus = (typeof KYC_DOCUMENT_STATUSES)[number];

/** Why a file in the store was not accepted as the document. */
export type KycRejection = 'too_large' | 'content_type_mismatch';

/** What the file found in the store made of a document. */
export interface KycUploadOutcome {
  status: Exclude<KycDocumentStatus, 'awaiting_upload'>;
  size: number;
  rejection?: KycRejection;
}

export interface KycDocument {
  documentId: string;
  merchantId: string;
  /** What the file is (`type` on the wire; the table's own `type` attribute names the entity). */
  documentType: KycDocumentType;
  fileName: string;
  contentType: KycContentType;
  status: KycDocumentStatus;
  /** The stored file's size in bytes, once one was found. */
  size?: number;
  rejection?: KycRejection;
  createdAt: string;
  updatedAt: string;
}

export function isKycContentType(value: string): value is KycContentType {
  return (KYC_CONTENT_TYPES as readonly string[]).includes(value);
}

/** The statuses in which the owner may upload: those from which KYC can be submitted (first time or again). */
export const KYC_UPLOAD_STATUSES: readonly MerchantStatus[] = statusesAllowing('submit_kyc');

/** Uploads only while KYC is to be done (or redone after a rejection), else 409 MERCHANT_STATE. */
export function assertCanUploadKyc(merchant: Merchant): void {
  if (!KYC_UPLOAD_STATUSES.includes(merchant.status)) {
    throw new DomainError(
      'MERCHANT_STATE',
      `A merchant that is ${merchant.status} cannot upload KYC documents`,
      { status: merchant.status, allowed: [...KYC_UPLOAD_STATUSES] },
    );
  }
}

/**
 * What the file found in the store makes of a document waiting for it: uploaded when it is of the declared
 * type and within the limit, rejected otherwise. (The store refuses a PUT of another type already, since the
 * URL signs the content type; the check here is the size, which a presigned PUT cannot bound.)
 */
export function judgeUploadedFile(
  document: KycDocument,
  file: { size: number; contentType?: string },
): KycUploadOutcome {
  if (file.size > MAX_KYC_DOCUMENT_BYTES)
    return { status: 'rejected', size: file.size, rejection: 'too_large' };
  if (file.contentType !== document.contentType) {
    return { status: 'rejected', size: file.size, rejection: 'content_type_mismatch' };
  }
  return { status: 'uploaded', size: file.size };
}
