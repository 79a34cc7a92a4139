import { LocalKmsKeyring } from '../../../local/kms/keyring.js';
import { KmsError, LOCAL_KMS_ALIAS, LOCAL_MFA_KMS_ALIAS, LocalKms } from '../../../local/kms/kms.js';

const CONTEXT = { userId: '@alice:tween.example', purpose: 'totp' };

async function keyring() {
  const data = await LocalKms.open({ dataDir: null });
  const mfa = await LocalKms.open({ dataDir: null, alias: LOCAL_MFA_KMS_ALIAS });
  return { data, mfa, keys: new LocalKmsKeyring([data, mfa]) };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** A data key generated under `keyId` with `CONTEXT`: its encrypted blob and its plaintext (base64). */
async function dataKey(keys: LocalKmsKeyring, keyId: string) {
  return (await keys.handle('GenerateDataKey', {
    KeyId: keyId,
    KeySpec: 'AES_256',
    EncryptionContext: CONTEXT,
  })) as { CiphertextBlob: string; Plaintext: string; KeyId: string };
}

describe('Class: LocalKmsKeyring', () => {
  describe('Method: handle', () => {
    it('serves the service key and the MFA key by alias, each under its own ARN', async () => {
      // Arrange
      const { data, mfa, keys } = await keyring();

      // Act
      const underData = await dataKey(keys, LOCAL_KMS_ALIAS);
      const underMfa = await dataKey(keys, LOCAL_MFA_KMS_ALIAS);

      // Assert
      expect(mfa.keyArn).not.toBe(data.keyArn);
      expect(underData.KeyId).toBe(data.keyArn);
      expect(underMfa.KeyId).toBe(mfa.keyArn);
    });

    it('decrypts a blob of the MFA key without a KeyId, with its encryption context', async () => {
      // Arrange
      const { mfa, keys } = await keyring();
      const generated = await dataKey(keys, mfa.keyArn);

      // Act
      const opened = (await keys.handle('Decrypt', {
        CiphertextBlob: generated.CiphertextBlob,
        EncryptionContext: CONTEXT,
      })) as { Plaintext: string; KeyId: string };

      // Assert
      expect(opened).toMatchObject({ Plaintext: generated.Plaintext, KeyId: mfa.keyArn });
    });

    it.each([
      [
        'another user',
        { ...CONTEXT, userId: '@mallory:tween.example' },
        undefined,
        'InvalidCiphertextException',
      ],
      ['no context', undefined, undefined, 'InvalidCiphertextException'],
      ['the service key named', CONTEXT, 'data', 'IncorrectKeyException'],
    ])('refuses to decrypt an MFA blob with %s', async (_what, context, named, code) => {
      // Arrange
      const { data, mfa, keys } = await keyring();
      const generated = await dataKey(keys, mfa.keyArn);

      // Act
      const error = await failureOf(
        keys.handle('Decrypt', {
          CiphertextBlob: generated.CiphertextBlob,
          ...(context === undefined ? {} : { EncryptionContext: context }),
          ...(named === undefined ? {} : { KeyId: data.keyArn }),
        }),
      );

      // Assert
      expect(error).toBeInstanceOf(KmsError);
      expect(error).toMatchObject({ code });
    });

    it('answers NotFoundException for a key it does not hold', async () => {
      // Arrange
      const { keys } = await keyring();

      // Act
      const error = await failureOf(dataKey(keys, 'alias/unknown'));

      // Assert
      expect(error).toMatchObject({ code: 'NotFoundException' });
    });
  });
});
