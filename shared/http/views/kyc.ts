import type * as z from 'zod/mini';
import type { PresignedUrl } from '../../app/kyc/ports.js';
import type { KycDocument as Document } from '../../domain/kyc.js';
import type { KycDocument, KycDocumentUpload } from '../schemas/kyc.js';

function common(document: Document) {
  return {
    id: document.documentId,
    object: 'kyc_document' as const,
    type: document.documentType,
    file_name: document.fileName,
    content_type: document.contentType,
    status: document.status,
    created: Math.floor(Date.parse(document.createdAt) / 1000),
  };
}

export function kycDocumentView(document: Document): z.infer<typeof KycDocument> {
  return {
    ...common(document),
    ...(document.size === undefined ? {} : { size: document.size }),
    ...(document.rejection === undefined ? {} : { rejection: document.rejection }),
  };
}

export function kycUploadView(document: Document, upload: PresignedUrl): z.infer<typeof KycDocumentUpload> {
  return { ...common(document), upload_url: upload.url, expires_at: upload.expiresAt };
}
