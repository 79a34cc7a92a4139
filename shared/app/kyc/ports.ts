import type { KycDocument, KycUploadOutcome } from '../../domain/kyc.js';

export interface KycDocumentPage {
  documents: KycDocument[];
  /** Where the next page starts (an adapter position, not yet a client cursor). */
  after?: string;
}

/** The documents' records (the files themselves are in `KycFiles`). */
export interface KycDocumentStore {
  /** Stores a new document (a conditional put that never overwrites). */
  create(document: KycDocument): Promise<KycDocument>;
  get(merchantId: string, documentId: string): Promise<KycDocument | undefined>;
  /** One page of a merchant's documents, by id. */
  list(query: { merchantId: string; limit: number; after?: string }): Promise<KycDocumentPage>;
  /**
   * Records what the file found in the store made of a document, on the condition that it is still
   * `awaiting_upload` (a second check of the same upload changes nothing). The document as it is now.
   */
  settle(document: KycDocument, outcome: KycUploadOutcome, at: string): Promise<KycDocument>;
}

export interface PresignedUrl {
  url: string;
  /** Epoch seconds after which the store refuses it. */
  expiresAt: number;
}

/** The document files, in a private store reached only through short-lived signed URLs. */
export interface KycFiles {
  /** A URL the owner PUTs the file to: it signs the content type, so the store refuses any other type. */
  uploadUrl(document: KycDocument, now: Date): Promise<PresignedUrl>;
  /** The stored file's size and type, or undefined while nothing was uploaded. */
  head(document: KycDocument): Promise<{ size: number; contentType?: string } | undefined>;
  /** A URL to read the file (ops' review), as an attachment. */
  downloadUrl(document: KycDocument, now: Date): Promise<PresignedUrl>;
}
