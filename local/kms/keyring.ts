/**
 * The local stack's KMS keys behind one endpoint, as one account's keys are behind AWS's: the service key
 * and the MFA key. A call naming a key (`KeyId`) goes to that key; a Decrypt naming none goes to the key
 * whose ciphertext it is (each key refuses another's ciphertext), as KMS reads the key from the blob.
 */
import { KmsError, type LocalKms } from './kms.js';

export class LocalKmsKeyring {
  readonly #keys: readonly LocalKms[];

  constructor(keys: readonly LocalKms[]) {
    if (keys.length === 0) throw new Error('A keyring needs at least one key');
    this.#keys = keys;
  }

  async handle(target: string, request: unknown): Promise<unknown> {
    const keyId = namedKey(request);
    if (keyId !== undefined) {
      const key = this.#keys.find((candidate) => candidate.answersTo(keyId));
      if (key === undefined) throw new KmsError('NotFoundException', `Key '${keyId}' does not exist`);
      return key.handle(target, request);
    }
    let refusal: unknown;
    for (const key of this.#keys) {
      try {
        return await key.handle(target, request);
      } catch (error) {
        if (!(error instanceof KmsError) || error.code !== 'InvalidCiphertextException') throw error;
        refusal = error;
      }
    }
    throw refusal;
  }
}

function namedKey(request: unknown): string | undefined {
  if (typeof request !== 'object' || request === null || !('KeyId' in request)) return undefined;
  const keyId: unknown = request.KeyId;
  return typeof keyId === 'string' ? keyId : undefined;
}
