/** KYC documents: upload URLs for the owner, the list for the owner and ops, the check that one arrived. */
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import {
  assertCanUploadKyc,
  isKycContentType,
  judgeUploadedFile,
  KYC_UPLOAD_URL_TTL_SECONDS,
  type KycDocument,
  type KycDocumentType,
} from '../../domain/kyc.js';
import { assertCanRead, assertOwner, type Merchant } from '../../domain/merchant.js';
import { assertOps } from '../access.js';
import type { CursorCodec } from '../cursor.js';
import type { KycDocuments, Merchants } from '../merchants/ports.js';
import type { Clock, Ids } from '../ports.js';
import type { KycDocumentStore, KycFiles, PresignedUrl } from './ports.js';

export interface KycDeps {
  merchants: Pick<Merchants, 'get'>;
  documents: KycDocumentStore;
  files: KycFiles;
  clock: Clock;
}

type Caller = { userId: string; roles: readonly string[] };

/**
 * An upload URL still in flight when it expired may finish its PUT a while later (S3 checks expiry when the
 * request starts); after this long nothing more can arrive, so the store is no longer asked.
 */
const UPLOAD_GRACE_SECONDS = 3_600;

/**
 * 1. The merchant exists and the caller owns it (anyone else: NOT_FOUND).
 * 2. It is `kyc_required` or `rejected` (else MERCHANT_STATE), and the content type is PDF, PNG or JPEG.
 * 3. Store the document `awaiting_upload` and sign a PUT URL for its object, with the content type signed.
 */
export async function requestKycUpload(
  caller: Caller,
  merchantId: string,
  input: { type: KycDocumentType; fileName: string; contentType: string },
  deps: KycDeps & { ids: Ids },
): Promise<{ document: KycDocument; upload: PresignedUrl }> {
  const merchant = await merchantFor(merchantId, deps);
  assertOwner(merchant, caller);
  assertCanUploadKyc(merchant);
  if (!isKycContentType(input.contentType)) {
    throw new ValidationError('content_type must be application/pdf, image/png or image/jpeg', {
      field: 'content_type',
    });
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  const document = await deps.documents.create({
    documentId: deps.ids.next('doc_'),
    merchantId,
    documentType: input.type,
    fileName: input.fileName,
    contentType: input.contentType,
    status: 'awaiting_upload',
    createdAt: at,
    updatedAt: at,
  });
  return { document, upload: await deps.files.uploadUrl(document, now) };
}

/**
 * 1. The owner or ops (anyone else: NOT_FOUND).
 * 2. One page of the merchant's documents, each still awaiting its file checked against the store first.
 */
export async function listKycDocuments(
  caller: Caller,
  merchantId: string,
  page: { limit: number; cursor?: string },
  deps: KycDeps & { cursors: CursorCodec },
): Promise<{ documents: KycDocument[]; nextCursor: string | null }> {
  assertCanRead(await merchantFor(merchantId, deps), caller);
  const list = `kyc:${merchantId}`;
  const after = page.cursor === undefined ? undefined : deps.cursors.decode(list, page.cursor);
  const found = await deps.documents.list({
    merchantId,
    limit: page.limit,
    ...(after === undefined ? {} : { after }),
  });
  const documents = await Promise.all(found.documents.map((document) => checkUpload(document, deps)));
  return {
    documents,
    nextCursor: found.after === undefined ? null : deps.cursors.encode(list, found.after),
  };
}

/**
 * 1. Ops only; the document exists and its file was accepted (else NOT_FOUND).
 * 2. A short-lived URL that reads the file as an attachment.
 */
export async function documentDownloadUrl(
  caller: Caller,
  merchantId: string,
  documentId: string,
  deps: KycDeps,
): Promise<PresignedUrl> {
  assertOps(caller.roles);
  const stored = await deps.documents.get(merchantId, documentId);
  const document = stored === undefined ? undefined : await checkUpload(stored, deps);
  if (document?.status !== 'uploaded') throw new NotFoundError('KYC document');
  return deps.files.downloadUrl(document, deps.clock.now());
}

/** The port KYC submission uses: any document whose file the store holds and was accepted. */
export class KycUploadChecks implements KycDocuments {
  constructor(private readonly deps: KycDeps) {}

  async anyUploaded(merchantId: string): Promise<boolean> {
    let after: string | undefined;
    do {
      const page = await this.deps.documents.list({
        merchantId,
        limit: 100,
        ...(after === undefined ? {} : { after }),
      });
      for (const document of page.documents) {
        if ((await checkUpload(document, this.deps)).status === 'uploaded') return true;
      }
      after = page.after;
    } while (after !== undefined);
    return false;
  }
}

/** A document awaiting its file, asked of the store (within the time a file can still arrive) and settled. */
async function checkUpload(document: KycDocument, deps: KycDeps): Promise<KycDocument> {
  if (document.status !== 'awaiting_upload') return document;
  const now = deps.clock.now();
  const ageSeconds = (now.getTime() - Date.parse(document.createdAt)) / 1000;
  if (ageSeconds > KYC_UPLOAD_URL_TTL_SECONDS + UPLOAD_GRACE_SECONDS) return document;
  const file = await deps.files.head(document);
  if (file === undefined) return document;
  return deps.documents.settle(document, judgeUploadedFile(document, file), now.toISOString());
}

async function merchantFor(merchantId: string, deps: Pick<KycDeps, 'merchants'>): Promise<Merchant> {
  const merchant = await deps.merchants.get(merchantId);
  if (merchant === undefined) throw new NotFoundError('Merchant');
  return merchant;
}
