/** Test doubles for the HTTP pipeline's idempotency persistence (Powertools' BasePersistenceLayer). */
import {
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
} from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, type IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';

/** Powertools' persistence contract in memory: a conditional put, a get, an update and a delete. */
export class InMemoryIdempotencyStore extends BasePersistenceLayer {
  readonly records = new Map<string, IdempotencyRecord>();

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const existing = this.records.get(record.idempotencyKey);
    const inProgressLapsed =
      existing?.getStatus() === 'INPROGRESS' && (existing.inProgressExpiryTimestamp ?? Infinity) < Date.now();
    if (existing !== undefined && !existing.isExpired() && !inProgressLapsed) {
      throw new IdempotencyItemAlreadyExistsError('Already exists', existing);
    }
    this.records.set(record.idempotencyKey, record);
  }

  protected async _getRecord(key: string): Promise<IdempotencyRecord> {
    const record = this.records.get(key);
    if (record === undefined) throw new IdempotencyItemNotFoundError();
    return record;
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.records.set(record.idempotencyKey, record);
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.records.delete(record.idempotencyKey);
  }
}
