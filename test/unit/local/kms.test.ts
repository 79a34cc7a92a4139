import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { kmsRequestListener } from '../../../local/kms/http.js';
import { KmsError, LOCAL_KMS_ALIAS, LocalKms } from '../../../local/kms/kms.js';

/** The real KMS client against the stand-in, over loopback HTTP as the local stack serves it. */
interface Served {
  client: KMSClient;
  url: string;
  calls: () => number;
  close: () => Promise<void>;
}

async function serve(kms: LocalKms): Promise<Served> {
  let calls = 0;
  const server: Server = createServer(kmsRequestListener(kms, { onRequest: () => (calls += 1) }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const client = new KMSClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    client,
    url,
    calls: () => calls,
    close: async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const utf8 = (value: Uint8Array | undefined): string => new TextDecoder().decode(value);

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('Class: LocalKms', () => {
  const opened: Served[] = [];
  const dirs: string[] = [];

  async function start(kms: LocalKms): Promise<Served> {
    const served = await serve(kms);
    opened.push(served);
    return served;
  }

  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'local-kms-'));
    dirs.push(dir);
    return dir;
  }

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((served) => served.close()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  describe('Method: handle (Encrypt, Decrypt)', () => {
    it('returns the original plaintext when the ciphertext is decrypted with the same context', async () => {
      // Arrange
      const kms = await LocalKms.open({ dataDir: null });
      const { client } = await start(kms);
      const context = { paymentId: 'pay_123', purpose: 'card-token' };

      // Act
      const encrypted = await client.send(
        new EncryptCommand({
          KeyId: LOCAL_KMS_ALIAS,
          Plaintext: text('tok_visa'),
          EncryptionContext: context,
        }),
      );
      const decrypted = await client.send(
        new DecryptCommand({
          CiphertextBlob: encrypted.CiphertextBlob,
          EncryptionContext: { purpose: 'card-token', paymentId: 'pay_123' },
        }),
      );

      // Assert
      expect(encrypted.KeyId).toBe(kms.keyArn);
      expect(encrypted.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
      expect(utf8(encrypted.CiphertextBlob)).not.toContain('tok_visa');
      expect(utf8(decrypted.Plaintext)).toBe('tok_visa');
      expect(decrypted.KeyId).toBe(kms.keyArn);
      expect(decrypted.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    });

    it.each([
      ['the key id', (kms: LocalKms) => kms.keyId],
      ['the key ARN', (kms: LocalKms) => kms.keyArn],
      ['the alias', () => LOCAL_KMS_ALIAS],
    ])('encrypts when the key is named by %s', async (_name, keyIdOf) => {
      // Arrange
      const kms = await LocalKms.open({ dataDir: null });
      const { client } = await start(kms);

      // Act
      const encrypted = await client.send(new EncryptCommand({ KeyId: keyIdOf(kms), Plaintext: text('x') }));

      // Assert
      expect(encrypted.KeyId).toBe(kms.keyArn);
    });

    it('rejects with InvalidCiphertextException when the encryption context differs', async () => {
      // Arrange
      const kms = await LocalKms.open({ dataDir: null });
      const { client } = await start(kms);
      const encrypted = await client.send(
        new EncryptCommand({
          KeyId: kms.keyId,
          Plaintext: text('secret'),
          EncryptionContext: { paymentId: 'a' },
        }),
      );

      // Act
      const wrongContext = await errorOf(
        client.send(
          new DecryptCommand({
            CiphertextBlob: encrypted.CiphertextBlob,
            EncryptionContext: { paymentId: 'b' },
          }),
        ),
      );
      const noContext = await errorOf(
        client.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob })),
      );

      // Assert
      expect(wrongContext.name).toBe('InvalidCiphertextException');
      expect(noContext.name).toBe('InvalidCiphertextException');
    });

    it('rejects with InvalidCiphertextException when the ciphertext was tampered with', async () => {
      // Arrange
      const kms = await LocalKms.open({ dataDir: null });
      const { client } = await start(kms);
      const encrypted = await client.send(
        new EncryptCommand({ KeyId: kms.keyId, Plaintext: text('secret') }),
      );
      const tampered = Uint8Array.from(encrypted.CiphertextBlob ?? []);
      tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0x01;

      // Act
      const flipped = await errorOf(client.send(new DecryptCommand({ CiphertextBlob: tampered })));
      const truncated = await errorOf(
        client.send(new DecryptCommand({ CiphertextBlob: tampered.subarray(0, 10) })),
      );

      // Assert
      expect(flipped.name).toBe('InvalidCiphertextException');
      expect(truncated.name).toBe('InvalidCiphertextException');
    });

    it('rejects with NotFoundException when the key id is unknown', async () => {
      // Arrange
      const kms = await LocalKms.open({ dataDir: null });
      const { client } = await start(kms);

      // Act
      const error = await errorOf(
        client.send(new EncryptCommand({ KeyId: 'alias/someone-else', Plaintext: text('secret') })),
      );

      // Assert
      expect(error.name).toBe('NotFoundException');
      expect(error.message).toContain('alias/someone-else');
    });

    it('rejects with ValidationException when the plaintext exceeds 4096 bytes', async () => {
      // Arrange
      const kms = await LocalKms.open({ dataDir: null });
      const { client } = await start(kms);

      // Act
      const tooLong = await errorOf(
        client.send(new EncryptCommand({ KeyId: kms.keyId, Plaintext: new Uint8Array(4097) })),
      );
      const atLimit = await client.send(
        new EncryptCommand({ KeyId: kms.keyId, Plaintext: new Uint8Array(4096) }),
      );

      // Assert
      expect(tooLong.name).toBe('ValidationException');
      expect(atLimit.CiphertextBlob).toBeDefined();
    });

    it('rejects with IncorrectKeyException when Decrypt names the key but the ciphertext is from another', async () => {
      // Arrange
      const other = await LocalKms.open({ dataDir: null });
      const kms = await LocalKms.open({ dataDir: null });
      const foreign = await other.handle('Encrypt', { KeyId: other.keyId, Plaintext: 'c2VjcmV0' });
      const { CiphertextBlob } = foreign as { CiphertextBlob: string };

      // Act
      const named = kms.handle('Decrypt', { CiphertextBlob, KeyId: kms.keyArn });
      const unnamed = kms.handle('Decrypt', { CiphertextBlob });

      // Assert
      await expect(named).rejects.toMatchObject({ code: 'IncorrectKeyException', status: 400 });
      await expect(unnamed).rejects.toMatchObject({ code: 'InvalidCiphertextException', status: 400 });
    });
  });

  describe('Method: handle (GenerateDataKey)', () => {
    it('returns a data key whose ciphertext decrypts to its plaintext when KeySpec is AES_256', async () => {
      // Arrange
      const kms = await LocalKms.open({ dataDir: null });
      const { client } = await start(kms);
      const context = { tenant: 't_1' };

      // Act
      const dataKey = await client.send(
        new GenerateDataKeyCommand({
          KeyId: LOCAL_KMS_ALIAS,
          KeySpec: 'AES_256',
          EncryptionContext: context,
        }),
      );
      const decrypted = await client.send(
        new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: context }),
      );

      // Assert
      expect(dataKey.KeyId).toBe(kms.keyArn);
      expect(dataKey.Plaintext).toHaveLength(32);
      expect(Buffer.from(decrypted.Plaintext ?? []).equals(Buffer.from(dataKey.Plaintext ?? []))).toBe(true);
    });

    it.each([
      [{ KeySpec: 'AES_128' as const }, 16],
      [{ NumberOfBytes: 64 }, 64],
    ])('returns a key of the requested length when asked for %j', async (size, length) => {
      // Arrange
      const kms = await LocalKms.open({ dataDir: null });
      const { client } = await start(kms);

      // Act
      const dataKey = await client.send(new GenerateDataKeyCommand({ KeyId: kms.keyId, ...size }));

      // Assert
      expect(dataKey.Plaintext).toHaveLength(length);
    });

    it('rejects with ValidationException when neither KeySpec nor NumberOfBytes is given', async () => {
      // Arrange
      const kms = await LocalKms.open({ dataDir: null });

      // Act
      const result = kms.handle('GenerateDataKey', { KeyId: kms.keyId });

      // Assert
      await expect(result).rejects.toMatchObject({ code: 'ValidationException', status: 400 });
    });
  });

  describe('Method: handle (DescribeKey)', () => {
    it('returns the enabled symmetric key metadata when asked by alias', async () => {
      // Arrange
      const kms = await LocalKms.open({ dataDir: null, keyId: 'local-key-1' });
      const { client } = await start(kms);

      // Act
      const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: LOCAL_KMS_ALIAS }));

      // Assert
      expect(KeyMetadata).toMatchObject({
        KeyId: 'local-key-1',
        Arn: 'arn:aws:kms:us-east-1:000000000000:key/local-key-1',
        KeyState: 'Enabled',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeySpec: 'SYMMETRIC_DEFAULT',
        Enabled: true,
      });
      expect(KeyMetadata?.CreationDate).toBeInstanceOf(Date);
      expect(typeof KeyMetadata?.Description).toBe('string');
    });
  });

  describe('Method: handle (other operations)', () => {
    it('rejects with UnsupportedOperationException when the operation is not implemented', async () => {
      // Arrange
      const kms = await LocalKms.open({ dataDir: null });

      // Act
      const result = kms.handle('ScheduleKeyDeletion', { KeyId: kms.keyId });

      // Assert
      await expect(result).rejects.toBeInstanceOf(KmsError);
      await expect(result).rejects.toMatchObject({ name: 'UnsupportedOperationException', status: 400 });
    });
  });

  describe('Method: open', () => {
    it('decrypts after a reopen when the key lives in the data directory', async () => {
      // Arrange
      const dataDir = await tempDir();
      const first = await LocalKms.open({ dataDir });
      const firstServed = await start(first);
      const encrypted = await firstServed.client.send(
        new EncryptCommand({ KeyId: first.keyId, Plaintext: text('survives restarts') }),
      );
      await firstServed.close();

      // Act
      const second = await LocalKms.open({ dataDir });
      const { client } = await start(second);
      const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));

      // Assert
      expect(second.keyId).toBe(first.keyId);
      expect(utf8(decrypted.Plaintext)).toBe('survives restarts');
    });

    it('writes the key file readable by its owner only when the data directory is new', async () => {
      // Arrange
      const dataDir = join(await tempDir(), 'nested');

      // Act
      const kms = await LocalKms.open({ dataDir, keyId: 'payments-key' });

      // Assert
      const file = join(dataDir, 'kms-key.json');
      const content: unknown = JSON.parse(await readFile(file, 'utf8'));
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(content).toMatchObject({ keyId: 'payments-key', keyMaterial: expect.any(String) });
      expect(kms.keyId).toBe('payments-key');
    });

    it('uses a fresh key on each start when the data directory is null', async () => {
      // Arrange
      const first = await LocalKms.open({ dataDir: null, keyId: 'same-id' });
      const encrypted = await first.handle('Encrypt', { KeyId: first.keyId, Plaintext: 'c2VjcmV0' });
      const { CiphertextBlob } = encrypted as { CiphertextBlob: string };

      // Act
      const second = await LocalKms.open({ dataDir: null, keyId: 'same-id' });
      const result = second.handle('Decrypt', { CiphertextBlob });

      // Assert
      await expect(result).rejects.toMatchObject({ code: 'InvalidCiphertextException' });
      await expect(first.handle('Decrypt', { CiphertextBlob })).resolves.toMatchObject({
        Plaintext: 'c2VjcmV0',
      });
    });

    it('throws when the key file holds a different key id than the one configured', async () => {
      // Arrange
      const dataDir = await tempDir();
      await LocalKms.open({ dataDir, keyId: 'first-key' });

      // Act
      const result = LocalKms.open({ dataDir, keyId: 'second-key' });

      // Assert
      await expect(result).rejects.toThrow(/first-key/);
    });
  });
});

describe('Function: kmsRequestListener', () => {
  let served: Served;

  beforeEach(async () => {
    served = await serve(await LocalKms.open({ dataDir: null }));
  });

  afterEach(async () => {
    await served.close();
  });

  it('answers an AWS JSON error when the body is not JSON', async () => {
    // Arrange
    const request = {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Encrypt' },
      body: '{not json',
    };

    // Act
    const response = await fetch(served.url, request);

    // Assert
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await response.json()).toEqual({ __type: 'SerializationException', message: expect.any(String) });
  });

  it('answers UnknownOperationException when the target is not a TrentService operation', async () => {
    // Arrange
    const request = { method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body: '{}' };

    // Act
    const response = await fetch(served.url, request);

    // Assert
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
    expect(served.calls()).toBe(0);
  });

  it('counts one call per operation when onRequest is given', async () => {
    // Arrange
    const { client } = served;

    // Act
    await client.send(new GenerateDataKeyCommand({ KeyId: LOCAL_KMS_ALIAS, KeySpec: 'AES_256' }));
    await errorOf(client.send(new DescribeKeyCommand({ KeyId: 'missing' })));

    // Assert
    expect(served.calls()).toBe(2);
  });
});
