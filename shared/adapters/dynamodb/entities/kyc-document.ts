import * as z from 'zod/mini';
import {
  KYC_CONTENT_TYPES,
  KYC_DOCUMENT_STATUSES,
  KYC_DOCUMENT_TYPES,
  type KycDocument,
} from '../../../domain/kyc.js';
import { defineEntity } from '../entity.js';
import { kycDocumentKey } from '../keys.js';
import type { SameType } from './exact.js';

const schema = z.object({
  documentId: z.string(),
  merchantId: z.string(),
  documentType: z.enum(KYC_DOCUMENT_TYPES),
  fileName: z.string(),
  contentType: z.enum(KYC_CONTENT_TYPES),
  status: z.enum(KYC_DOCUMENT_STATUSES),
  size: z.exactOptional(z.number()),
  rejection: z.exactOptional(z.enum(['too_large', 'content_type_mismatch'])),
  createdAt: z.string(),
  updatedAt: z.string(),
});

true satisfies SameType<z.output<typeof schema>, KycDocument>;

/** A KYC document's record (its file is in the KYC bucket): `MERCHANT#<id>` / `DOC#<docId>`. */
export const KycDocumentEntity = defineEntity<KycDocument>({
  type: 'KycDocument',
  schema: schema satisfies z.ZodMiniType<KycDocument>,
  key: (document) => kycDocumentKey(document.merchantId, document.documentId),
});
