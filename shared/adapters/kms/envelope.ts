/**
 * Envelope encryption for small secrets we must be able to read back (TOTP seeds): KMS issues a fresh
 * AES-256 data key per value (GenerateDataKey) and keeps only its encrypted form; the value is sealed
 * locally with AES-256-GCM. Reading it back costs one KMS Decrypt.
 *
 * The encryption context (e.g. `{purpose: 'totp-secret', userId}`) is bound twice: KMS binds it to the
 * data key (Decrypt with another context fails, and CloudTrail logs it), and GCM authenticates it as
 * additional data, so an envelope copied onto another user's record does not open there.
 *
 * Envelope: base64 of the JSON `{"v":1,"k":<encrypted data key>,"iv":<12 bytes>,"tag":<16 bytes>,
 * "ct":<ciphertext>}`, binary fields base64.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { isRecord } from '../../json.js';

export type EncryptionContext = Readonly<Record<string, string>>;

const VERSION = 1;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CIPHER = 'aes-256-gcm';
/** Envelopes hold small secrets; refuse to parse anything far larger than one could be. */
const MAX_ENVELOPE_LENGTH = 64 * 1024;

/** The envelope is not one of ours, or it was altered, or the context does not match. */
export class EnvelopeDecryptionError extends Error {
  override readonly name = 'EnvelopeDecryptionError';
}

interface Envelope {
  v: typeof VERSION;
  k: string;
  iv: string;
  tag: string;
  ct: string;
}

export class KmsEnvelope {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async encrypt(plaintext: string, context: EncryptionContext): Promise<string> {
    const aad = contextAad(context);
    const dataKey = await this.kms.send(
      new GenerateDataKeyCommand({
        KeyId: this.keyId,
        KeySpec: 'AES_256',
        EncryptionContext: { ...context },
      }),
    );
    const key = dataKey.Plaintext;
    try {
      if (key?.length !== KEY_BYTES || dataKey.CiphertextBlob === undefined) {
        throw new Error('KMS GenerateDataKey returned no usable AES-256 data key');
      }
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad);
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const envelope: Envelope = {
        v: VERSION,
        k: Buffer.from(dataKey.CiphertextBlob).toString('base64'),
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        ct: ct.toString('base64'),
      };
      return Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64');
    } finally {
      key?.fill(0);
    }
  }

  /**
   * The plaintext, or EnvelopeDecryptionError when the envelope is malformed or fails authentication.
   * KMS's own refusals (InvalidCiphertextException for another context, AccessDenied, ...) propagate.
   */
  async decrypt(envelope: string, context: EncryptionContext): Promise<string> {
    const parsed = parseEnvelope(envelope);
    const aad = contextAad(context);
    const decrypted = await this.kms.send(
      new DecryptCommand({
        KeyId: this.keyId,
        CiphertextBlob: parsed.k,
        EncryptionContext: { ...context },
      }),
    );
    const key = decrypted.Plaintext;
    try {
      if (key?.length !== KEY_BYTES) throw new Error('KMS Decrypt returned no usable AES-256 data key');
      const decipher = createDecipheriv(CIPHER, key, parsed.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad);
      decipher.setAuthTag(parsed.tag);
      try {
        return Buffer.concat([decipher.update(parsed.ct), decipher.final()]).toString('utf8');
      } catch {
        throw new EnvelopeDecryptionError('The envelope failed authentication');
      }
    } finally {
      key?.fill(0);
    }
  }
}

/** The context as GCM additional data: its pairs sorted by key, as JSON, so key order does not matter. */
function contextAad(context: EncryptionContext): Buffer {
  const pairs = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, value] of pairs) {
    if (typeof value !== 'string') throw new TypeError('Encryption context values must be strings');
  }
  return Buffer.from(JSON.stringify(pairs), 'utf8');
}

interface ParsedEnvelope {
  k: Buffer;
  iv: Buffer;
  tag: Buffer;
  ct: Buffer;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function parseEnvelope(envelope: string): ParsedEnvelope {
  const malformed = new EnvelopeDecryptionError('Not a KMS envelope');
  if (typeof envelope !== 'string' || envelope.length > MAX_ENVELOPE_LENGTH || !BASE64.test(envelope)) {
    throw malformed;
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(envelope, 'base64').toString('utf8'));
  } catch {
    throw malformed;
  }
  if (!isRecord(value)) throw malformed;
  const fields: Readonly<Record<string, unknown>> = value;
  if (fields.v !== VERSION) throw malformed;
  const k = binary(fields.k);
  const iv = binary(fields.iv);
  const tag = binary(fields.tag);
  const ct = binary(fields.ct);
  if (k === undefined || k.length === 0 || iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES) {
    throw malformed;
  }
  if (ct === undefined) throw malformed;
  return { k, iv, tag, ct };
}

function binary(value: unknown): Buffer | undefined {
  return typeof value === 'string' && BASE64.test(value) ? Buffer.from(value, 'base64') : undefined;
}
