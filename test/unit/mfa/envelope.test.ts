import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DecryptCommand,
  type DecryptCommandInput,
  GenerateDataKeyCommand,
  InvalidCiphertextException,
  KMSClient,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { kmsRequestListener } from '../../../local/kms/http.js';
import { LOCAL_KMS_ALIAS, LocalKms } from '../../../local/kms/kms.js';
import { EnvelopeDecryptionError, KmsEnvelope } from '../../../shared/adapters/kms/envelope.js';

const KEY_ID = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const CONTEXT = { purpose: 'totp-secret', userId: '@alice:tween.example' };
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const ZERO_IV = Buffer.alloc(12).toString('base64');
const ZERO_TAG = Buffer.alloc(16).toString('base64');

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

interface EnvelopeJson {
  v: number;
  k: string;
  iv: string;
  tag: string;
  ct: string;
}

function openEnvelope(envelope: string): EnvelopeJson {
  return JSON.parse(Buffer.from(envelope, 'base64').toString('utf8')) as EnvelopeJson;
}

function sealEnvelope(fields: EnvelopeJson): string {
  return Buffer.from(JSON.stringify(fields), 'utf8').toString('base64');
}

function flipFirstByte(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

function sameContext(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const entries = (value: Record<string, string>) => JSON.stringify(Object.entries(value).sort());
  return a !== undefined && entries(a) === entries(b);
}

describe('Class: KmsEnvelope (aws-sdk-client-mock)', () => {
  const client = new KMSClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const kmsMock = mockClient(client);
  const envelope = new KmsEnvelope(client, KEY_ID);
  /** A real random data key; each KMS answer hands out a fresh copy, as the SDK would. */
  let dataKey: Buffer;
  const encryptedDataKey = Buffer.from('encrypted-data-key-blob');
  const handedOut: Uint8Array[] = [];

  function copyOfKey(): Uint8Array {
    const copy = Uint8Array.from(dataKey);
    handedOut.push(copy);
    return copy;
  }

  beforeEach(() => {
    kmsMock.reset();
    handedOut.length = 0;
    dataKey = randomBytes(32);
    kmsMock
      .on(GenerateDataKeyCommand)
      .callsFake(() => ({ Plaintext: copyOfKey(), CiphertextBlob: Uint8Array.from(encryptedDataKey) }));
    // Like KMS: the data key comes back only under the context it was generated with.
    kmsMock.on(DecryptCommand).callsFake((input: DecryptCommandInput) => {
      if (!sameContext(input.EncryptionContext, CONTEXT)) {
        throw new InvalidCiphertextException({ message: 'context mismatch', $metadata: {} });
      }
      return { Plaintext: copyOfKey() };
    });
  });

  describe('Method: encrypt', () => {
    it('asks KMS for an AES-256 data key under the key id and the encryption context', async () => {
      // Act
      await envelope.encrypt(SECRET, CONTEXT);

      // Assert
      expect(kmsMock).toHaveReceivedCommandTimes(GenerateDataKeyCommand, 1);
      expect(kmsMock).toHaveReceivedCommandWith(GenerateDataKeyCommand, {
        KeyId: KEY_ID,
        KeySpec: 'AES_256',
        EncryptionContext: CONTEXT,
      });
    });

    it('returns a v1 envelope holding the encrypted data key, a 12-byte IV, a 16-byte tag and no plaintext', async () => {
      // Act
      const sealed = await envelope.encrypt(SECRET, CONTEXT);

      // Assert
      const fields = openEnvelope(sealed);
      expect(fields.v).toBe(1);
      expect(Buffer.from(fields.k, 'base64')).toEqual(encryptedDataKey);
      expect(Buffer.from(fields.iv, 'base64')).toHaveLength(12);
      expect(Buffer.from(fields.tag, 'base64')).toHaveLength(16);
      expect(Buffer.from(fields.ct, 'base64')).toHaveLength(SECRET.length);
      expect(Buffer.from(sealed, 'base64').toString('utf8')).not.toContain(SECRET);
      expect(sealed).not.toContain(SECRET);
    });

    it('returns a different envelope each time for the same plaintext', async () => {
      // Act
      const first = await envelope.encrypt(SECRET, CONTEXT);
      const second = await envelope.encrypt(SECRET, CONTEXT);

      // Assert
      expect(openEnvelope(first).iv).not.toBe(openEnvelope(second).iv);
      expect(openEnvelope(first).ct).not.toBe(openEnvelope(second).ct);
    });

    it('zeroes the plaintext data key after use', async () => {
      // Act
      await envelope.encrypt(SECRET, CONTEXT);

      // Assert
      expect(handedOut).toHaveLength(1);
      expect(handedOut[0]?.every((byte) => byte === 0)).toBe(true);
    });

    it('rejects when KMS returns no plaintext data key', async () => {
      // Arrange
      kmsMock.on(GenerateDataKeyCommand).resolves({ CiphertextBlob: Uint8Array.from(encryptedDataKey) });

      // Act
      const error = await rejectionOf(envelope.encrypt(SECRET, CONTEXT));

      // Assert
      expect(error).toBeInstanceOf(Error);
      expect(error).toHaveProperty('message', 'KMS GenerateDataKey returned no usable AES-256 data key');
    });
  });

  describe('Method: decrypt', () => {
    it('returns the plaintext, asking KMS to decrypt the data key under the same context', async () => {
      // Arrange
      const sealed = await envelope.encrypt(SECRET, CONTEXT);

      // Act
      const plaintext = await envelope.decrypt(sealed, CONTEXT);

      // Assert
      expect(plaintext).toBe(SECRET);
      expect(kmsMock).toHaveReceivedCommandWith(DecryptCommand, {
        KeyId: KEY_ID,
        CiphertextBlob: Uint8Array.from(encryptedDataKey),
        EncryptionContext: CONTEXT,
      });
    });

    it('returns the plaintext when the context lists the same pairs in another order', async () => {
      // Arrange
      const sealed = await envelope.encrypt(SECRET, CONTEXT);

      // Act
      const plaintext = await envelope.decrypt(sealed, { userId: CONTEXT.userId, purpose: CONTEXT.purpose });

      // Assert
      expect(plaintext).toBe(SECRET);
    });

    it('round-trips an empty string and non-ASCII text', async () => {
      // Arrange
      const empty = await envelope.encrypt('', CONTEXT);
      const unicode = await envelope.encrypt('clé secrète ✓', CONTEXT);

      // Act
      const results = [await envelope.decrypt(empty, CONTEXT), await envelope.decrypt(unicode, CONTEXT)];

      // Assert
      expect(results).toEqual(['', 'clé secrète ✓']);
    });

    it('zeroes the plaintext data key after use', async () => {
      // Arrange
      const sealed = await envelope.encrypt(SECRET, CONTEXT);

      // Act
      await envelope.decrypt(sealed, CONTEXT);

      // Assert
      expect(handedOut).toHaveLength(2);
      expect(handedOut[1]?.every((byte) => byte === 0)).toBe(true);
    });

    it('rejects with KMS InvalidCiphertextException when the context differs', async () => {
      // Arrange
      const sealed = await envelope.encrypt(SECRET, CONTEXT);

      // Act
      const error = await rejectionOf(
        envelope.decrypt(sealed, { ...CONTEXT, userId: '@mallory:tween.example' }),
      );

      // Assert
      expect(error).toBeInstanceOf(InvalidCiphertextException);
    });

    it('rejects with EnvelopeDecryptionError when the context differs even if KMS hands out the key', async () => {
      // Arrange: a KMS that ignored the context would still be caught by the GCM additional data
      const sealed = await envelope.encrypt(SECRET, CONTEXT);
      kmsMock.on(DecryptCommand).callsFake(() => ({ Plaintext: copyOfKey() }));

      // Act
      const error = await rejectionOf(
        envelope.decrypt(sealed, { ...CONTEXT, userId: '@mallory:tween.example' }),
      );

      // Assert
      expect(error).toBeInstanceOf(EnvelopeDecryptionError);
      expect(handedOut.every((key) => key.every((byte) => byte === 0))).toBe(true);
    });

    it.each([
      ['ciphertext', 'ct'],
      ['tag', 'tag'],
      ['IV', 'iv'],
    ] as const)(
      'rejects with EnvelopeDecryptionError when the %s was tampered with',
      async (_name, field) => {
        // Arrange
        const fields = openEnvelope(await envelope.encrypt(SECRET, CONTEXT));
        const tampered = sealEnvelope({ ...fields, [field]: flipFirstByte(fields[field]) });

        // Act
        const error = await rejectionOf(envelope.decrypt(tampered, CONTEXT));

        // Assert
        expect(error).toBeInstanceOf(EnvelopeDecryptionError);
        expect(error).toHaveProperty('message', 'The envelope failed authentication');
      },
    );

    it.each([
      ['not base64', 'not an envelope!'],
      ['base64 of something that is not JSON', Buffer.from('hello').toString('base64')],
      ['a JSON array', Buffer.from('[]').toString('base64')],
      ['another version', sealEnvelope({ v: 2, k: 'AAAA', iv: ZERO_IV, tag: ZERO_TAG, ct: '' })],
      ['a short IV', sealEnvelope({ v: 1, k: 'AAAA', iv: 'AAAA', tag: ZERO_TAG, ct: '' })],
      ['no data key', sealEnvelope({ v: 1, k: '', iv: ZERO_IV, tag: ZERO_TAG, ct: '' })],
    ])('rejects with EnvelopeDecryptionError, without calling KMS, for %s', async (_name, sealed) => {
      // Act
      const error = await rejectionOf(envelope.decrypt(sealed, CONTEXT));

      // Assert
      expect(error).toBeInstanceOf(EnvelopeDecryptionError);
      expect(kmsMock).not.toHaveReceivedCommand(DecryptCommand);
    });
  });
});

describe('Class: KmsEnvelope (local KMS stand-in over HTTP)', () => {
  interface Served {
    client: KMSClient;
    calls: () => number;
    close: () => Promise<void>;
  }

  const opened: Served[] = [];

  async function serve(kms: LocalKms): Promise<Served> {
    let calls = 0;
    const server: Server = createServer(kmsRequestListener(kms, { onRequest: () => (calls += 1) }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new KMSClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const served: Served = {
      client,
      calls: () => calls,
      close: async () => {
        client.destroy();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
    opened.push(served);
    return served;
  }

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((served) => served.close()));
  });

  it('round-trips a secret with one KMS call each way', async () => {
    // Arrange
    const local = await LocalKms.open({ dataDir: null });
    const { client, calls } = await serve(local);
    const envelope = new KmsEnvelope(client, LOCAL_KMS_ALIAS);

    // Act
    const sealed = await envelope.encrypt(SECRET, CONTEXT);
    const plaintext = await envelope.decrypt(sealed, { userId: CONTEXT.userId, purpose: CONTEXT.purpose });

    // Assert
    expect(plaintext).toBe(SECRET);
    expect(calls()).toBe(2);
  });

  it('rejects with InvalidCiphertextException when the context differs', async () => {
    // Arrange
    const local = await LocalKms.open({ dataDir: null });
    const { client } = await serve(local);
    const envelope = new KmsEnvelope(client, local.keyId);
    const sealed = await envelope.encrypt(SECRET, CONTEXT);

    // Act
    const error = await rejectionOf(envelope.decrypt(sealed, { ...CONTEXT, userId: '@bob:tween.example' }));

    // Assert
    expect(error).toHaveProperty('name', 'InvalidCiphertextException');
  });

  it('rejects with EnvelopeDecryptionError when the ciphertext was tampered with', async () => {
    // Arrange
    const local = await LocalKms.open({ dataDir: null });
    const { client } = await serve(local);
    const envelope = new KmsEnvelope(client, local.keyArn);
    const fields = openEnvelope(await envelope.encrypt(SECRET, CONTEXT));
    const tampered = sealEnvelope({ ...fields, ct: flipFirstByte(fields.ct) });

    // Act
    const error = await rejectionOf(envelope.decrypt(tampered, CONTEXT));

    // Assert
    expect(error).toBeInstanceOf(EnvelopeDecryptionError);
  });

  it('rejects with IncorrectKeyException when the data key was encrypted under another KMS key', async () => {
    // Arrange
    const first = await serve(await LocalKms.open({ dataDir: null }));
    const second = await serve(await LocalKms.open({ dataDir: null }));
    const sealed = await new KmsEnvelope(first.client, LOCAL_KMS_ALIAS).encrypt(SECRET, CONTEXT);

    // Act
    const error = await rejectionOf(new KmsEnvelope(second.client, LOCAL_KMS_ALIAS).decrypt(sealed, CONTEXT));

    // Assert: the envelope names its key on Decrypt, so KMS says which way it is wrong
    expect(error).toHaveProperty('name', 'IncorrectKeyException');
  });
});
