/**
 * One symmetric KMS key for the local stack (the stack runs two, the service key and the MFA key, behind
 * one endpoint: keyring.ts): Encrypt, Decrypt, GenerateDataKey and DescribeKey in
 * AWS's JSON 1.1 shapes, so the KMS adapter runs `@aws-sdk/client-kms` unchanged against it.
 *
 * The key material is AES-256, generated on first start into `<dataDir>/kms-key.json` (the MFA key:
 * `kms-mfa-key.json`; mode 0600) and
 * reused afterwards, so data encrypted before a restart still decrypts. Encryption is AES-256-GCM with the
 * ciphertext header and the encryption context bound as additional authenticated data.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRecord } from '../../shared/json.js';

export const LOCAL_KMS_ALIAS = 'alias/tween-payments';
/** The second key: MFA secrets (TOTP seeds) only, as on AWS (cdk/lib/stateful-stack.ts). */
export const LOCAL_MFA_KMS_ALIAS = 'alias/tween-payments-mfa';
export const MFA_KEY_FILE_NAME = 'kms-mfa-key.json';
export const LOCAL_KMS_REGION = 'us-east-1';
export const LOCAL_KMS_ACCOUNT = '000000000000';
export const KEY_FILE_NAME = 'kms-key.json';

/** AWS caps Encrypt's plaintext at 4 KiB. */
const MAX_PLAINTEXT_BYTES = 4096;
const MAX_DATA_KEY_BYTES = 1024;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CIPHERTEXT_VERSION = 1;
const KEY_FILE_VERSION = 1;
const ALGORITHM = 'SYMMETRIC_DEFAULT';
const DATA_KEY_SPECS: Readonly<Record<string, number>> = { AES_256: 32, AES_128: 16 };

export class KmsError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
  }
}

export interface LocalKmsOptions {
  /** Where `kms-key.json` lives; `null` keeps the key in memory, so each start has a fresh key. */
  dataDir: string | null;
  /** The key id to create; defaults to a random UUID. Must agree with an existing key file. */
  keyId?: string;
  /** The key's file in `dataDir` (default `kms-key.json`) and the alias it answers to (default the service's). */
  fileName?: string;
  alias?: string;
}

interface KeyRecord {
  keyId: string;
  material: Buffer;
  createdAt: Date;
}

type Request = Readonly<Record<string, unknown>>;

export class LocalKms {
  readonly keyId: string;
  readonly keyArn: string;
  readonly alias: string;
  readonly #material: Buffer;
  readonly #createdAt: Date;

  private constructor(key: KeyRecord, alias: string) {
    this.keyId = key.keyId;
    this.alias = alias;
    this.keyArn = `arn:aws:kms:${LOCAL_KMS_REGION}:${LOCAL_KMS_ACCOUNT}:key/${key.keyId}`;
    this.#material = key.material;
    this.#createdAt = key.createdAt;
  }

  static async open(opts: LocalKmsOptions): Promise<LocalKms> {
    if (opts.keyId !== undefined) assertKeyId(opts.keyId);
    const key =
      opts.dataDir === null
        ? newKey(opts.keyId)
        : await loadOrCreateKey(opts.dataDir, opts.keyId, opts.fileName ?? KEY_FILE_NAME);
    return new LocalKms(key, opts.alias ?? LOCAL_KMS_ALIAS);
  }

  /** Whether `keyId` (an id, an ARN or the alias) names this key. */
  answersTo(keyId: string): boolean {
    return keyId === this.keyId || keyId === this.keyArn || keyId === this.alias;
  }

  /**
   * Handles one AWS JSON 1.1 call; `target` is the part after `TrentService.` in `X-Amz-Target`.
   * Returns the JSON response body or throws a KmsError.
   */
  async handle(target: string, request: unknown): Promise<unknown> {
    const input = asRequest(request);
    switch (target) {
      case 'Encrypt':
        return this.#encrypt(input);
      case 'Decrypt':
        return this.#decrypt(input);
      case 'GenerateDataKey':
        return this.#generateDataKey(input);
      case 'DescribeKey':
        return this.#describeKey(input);
      default:
        throw new KmsError('UnsupportedOperationException', `${target} is not supported by the local KMS`);
    }
  }

  #encrypt(input: Request): unknown {
    this.#resolveKey(requiredString(input, 'KeyId'));
    assertAlgorithm(input);
    const plaintext = requiredBlob(input, 'Plaintext');
    if (plaintext.length > MAX_PLAINTEXT_BYTES) {
      throw validation(`Plaintext must be at most ${MAX_PLAINTEXT_BYTES} bytes long`);
    }
    const ciphertext = this.#seal(plaintext, encryptionContext(input));
    return {
      CiphertextBlob: ciphertext.toString('base64'),
      KeyId: this.keyArn,
      EncryptionAlgorithm: ALGORITHM,
    };
  }

  #decrypt(input: Request): unknown {
    const requestedKey = optionalString(input, 'KeyId');
    if (requestedKey !== undefined) this.#resolveKey(requestedKey);
    assertAlgorithm(input);
    const blob = requiredBlob(input, 'CiphertextBlob');
    const plaintext = this.#open(blob, encryptionContext(input), requestedKey !== undefined);
    return { Plaintext: plaintext.toString('base64'), KeyId: this.keyArn, EncryptionAlgorithm: ALGORITHM };
  }

  #generateDataKey(input: Request): unknown {
    this.#resolveKey(requiredString(input, 'KeyId'));
    const plaintext = randomBytes(dataKeyLength(input));
    const ciphertext = this.#seal(plaintext, encryptionContext(input));
    return {
      CiphertextBlob: ciphertext.toString('base64'),
      Plaintext: plaintext.toString('base64'),
      KeyId: this.keyArn,
    };
  }

  #describeKey(input: Request): unknown {
    this.#resolveKey(requiredString(input, 'KeyId'));
    return {
      KeyMetadata: {
        AWSAccountId: LOCAL_KMS_ACCOUNT,
        KeyId: this.keyId,
        Arn: this.keyArn,
        CreationDate: Math.floor(this.#createdAt.getTime() / 1000),
        Enabled: true,
        Description: 'Tween Payments local key (local stack stand-in)',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeyState: 'Enabled',
        Origin: 'AWS_KMS',
        KeyManager: 'CUSTOMER',
        KeySpec: 'SYMMETRIC_DEFAULT',
        CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
        EncryptionAlgorithms: [ALGORITHM],
        MultiRegion: false,
      },
    };
  }

  /** The key answers to its id, its ARN and its alias; anything else does not exist. */
  #resolveKey(keyId: string): void {
    if (this.answersTo(keyId)) return;
    throw new KmsError('NotFoundException', `Key '${keyId}' does not exist`);
  }

  #seal(plaintext: Buffer, context: Buffer): Buffer {
    const header = ciphertextHeader(this.keyId);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#material, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.concat([header, context]));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
  }

  #open(blob: Buffer, context: Buffer, keyWasNamed: boolean): Buffer {
    const parsed = parseCiphertext(blob);
    if (parsed.keyId !== this.keyId) {
      // Real KMS says IncorrectKeyException when the caller named a key other than the one that encrypted.
      if (keyWasNamed) {
        throw new KmsError(
          'IncorrectKeyException',
          'The ciphertext was not encrypted under the requested key',
        );
      }
      throw invalidCiphertext();
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#material, parsed.iv, {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.concat([parsed.header, context]));
      decipher.setAuthTag(parsed.tag);
      return Buffer.concat([decipher.update(parsed.body), decipher.final()]);
    } catch {
      // A wrong encryption context, a tampered blob and a blob from another key all fail authentication.
      throw invalidCiphertext();
    }
  }
}

// --- Ciphertext format -----------------------------------------------------------------------------
// [version: 1 byte][key id length: 1 byte][key id: UTF-8][IV: 12 bytes][GCM tag: 16 bytes][ciphertext]
// The header (version, key id) is authenticated with the encryption context, so it cannot be swapped.

interface ParsedCiphertext {
  header: Buffer;
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  body: Buffer;
}

function ciphertextHeader(keyId: string): Buffer {
  const id = Buffer.from(keyId, 'utf8');
  return Buffer.concat([Buffer.from([CIPHERTEXT_VERSION, id.length]), id]);
}

function parseCiphertext(blob: Buffer): ParsedCiphertext {
  const version = blob[0];
  const idLength = blob[1];
  if (version !== CIPHERTEXT_VERSION || idLength === undefined) throw invalidCiphertext();
  const headerEnd = 2 + idLength;
  const tagEnd = headerEnd + IV_BYTES + TAG_BYTES;
  if (blob.length <= tagEnd) throw invalidCiphertext();
  return {
    header: blob.subarray(0, headerEnd),
    keyId: blob.subarray(2, headerEnd).toString('utf8'),
    iv: blob.subarray(headerEnd, headerEnd + IV_BYTES),
    tag: blob.subarray(headerEnd + IV_BYTES, tagEnd),
    body: blob.subarray(tagEnd),
  };
}

function invalidCiphertext(): KmsError {
  return new KmsError(
    'InvalidCiphertextException',
    'The ciphertext is invalid or does not match the context',
  );
}

// --- Request fields ----------------------------------------------------------------------------------

function validation(message: string): KmsError {
  return new KmsError('ValidationException', message);
}

function asRequest(request: unknown): Request {
  if (request === undefined || request === null) return {};
  if (!isRecord(request)) throw validation('The request body must be a JSON object');
  return request;
}

function optionalString(input: Request, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0)
    throw validation(`${field} must be a non-empty string`);
  return value;
}

function requiredString(input: Request, field: string): string {
  const value = optionalString(input, field);
  if (value === undefined) throw validation(`${field} is required`);
  return value;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function requiredBlob(input: Request, field: string): Buffer {
  const value = requiredString(input, field);
  if (!BASE64.test(value)) throw validation(`${field} must be base64-encoded`);
  return Buffer.from(value, 'base64');
}

function assertAlgorithm(input: Request): void {
  const algorithm = optionalString(input, 'EncryptionAlgorithm');
  if (algorithm !== undefined && algorithm !== ALGORITHM) {
    throw new KmsError('InvalidKeyUsageException', `The key does not support ${algorithm}`);
  }
}

/**
 * The encryption context as GCM additional data: its pairs sorted by key and serialised as JSON, so the
 * order the caller lists them in does not matter. An absent context and an empty one are the same.
 */
function encryptionContext(input: Request): Buffer {
  const value = input.EncryptionContext;
  if (value === undefined || value === null) return Buffer.alloc(0);
  if (typeof value !== 'object' || Array.isArray(value)) throw validation('EncryptionContext must be a map');
  const pairs: [string, string][] = [];
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw validation('EncryptionContext values must be strings');
    pairs.push([key, entry]);
  }
  if (pairs.length === 0) return Buffer.alloc(0);
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(pairs), 'utf8');
}

function dataKeyLength(input: Request): number {
  const spec = input.KeySpec;
  const bytes = input.NumberOfBytes;
  const hasSpec = spec !== undefined && spec !== null;
  const hasBytes = bytes !== undefined && bytes !== null;
  if (hasSpec === hasBytes) throw validation('Specify exactly one of KeySpec and NumberOfBytes');
  if (hasSpec) {
    const length = typeof spec === 'string' ? DATA_KEY_SPECS[spec] : undefined;
    if (length === undefined) throw validation('KeySpec must be AES_256 or AES_128');
    return length;
  }
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 1 || bytes > MAX_DATA_KEY_BYTES) {
    throw validation(`NumberOfBytes must be an integer from 1 to ${MAX_DATA_KEY_BYTES}`);
  }
  return bytes;
}

// --- Key file ----------------------------------------------------------------------------------------

function assertKeyId(keyId: string): void {
  // The id is written into every ciphertext behind a one-byte length.
  if (!/^[A-Za-z0-9-]{1,64}$/.test(keyId)) {
    throw new Error(`Local KMS key id '${keyId}' must be 1-64 letters, digits or dashes`);
  }
}

function newKey(keyId: string | undefined): KeyRecord {
  return { keyId: keyId ?? randomUUID(), material: randomBytes(KEY_BYTES), createdAt: new Date() };
}

async function loadOrCreateKey(
  dataDir: string,
  keyId: string | undefined,
  fileName: string,
): Promise<KeyRecord> {
  const file = join(dataDir, fileName);
  await mkdir(dataDir, { recursive: true });
  const key = (await readKeyFile(file)) ?? (await createKeyFile(file, newKey(keyId)));
  if (keyId !== undefined && key.keyId !== keyId) {
    throw new Error(
      `${file} holds key '${key.keyId}', not the configured '${keyId}'; remove it or fix the id`,
    );
  }
  return key;
}

async function readKeyFile(file: string): Promise<KeyRecord | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw corruptKeyFile(file);
  }
  if (typeof parsed !== 'object' || parsed === null) throw corruptKeyFile(file);
  const record = parsed as Readonly<Record<string, unknown>>;
  const { keyId, keyMaterial, createdAt } = record;
  if (record.version !== KEY_FILE_VERSION || typeof keyId !== 'string' || typeof keyMaterial !== 'string') {
    throw corruptKeyFile(file);
  }
  assertKeyId(keyId);
  const material = Buffer.from(keyMaterial, 'base64');
  const created = typeof createdAt === 'string' ? new Date(createdAt) : new Date(Number.NaN);
  if (material.length !== KEY_BYTES || Number.isNaN(created.getTime())) throw corruptKeyFile(file);
  return { keyId, material, createdAt: created };
}

/**
 * Writes the key beside its final name and hard-links it into place, so a reader never sees a half-written
 * file and, if two processes race on first start, both end up with the key that won.
 */
async function createKeyFile(file: string, key: KeyRecord): Promise<KeyRecord> {
  const content = {
    version: KEY_FILE_VERSION,
    keyId: key.keyId,
    keyMaterial: key.material.toString('base64'),
    createdAt: key.createdAt.toISOString(),
  };
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
    return key;
  } catch (error) {
    if (!isErrnoCode(error, 'EEXIST')) throw error;
    const winner = await readKeyFile(file);
    if (winner === undefined) throw error;
    return winner;
  } finally {
    await unlink(temporary);
  }
}

function corruptKeyFile(file: string): Error {
  return new Error(`${file} is not a local KMS key file; remove it to generate a new key`);
}

/** Duck-typed: errors from node:fs may come from another realm (a VM context under Jest). */
function isErrnoCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
