/**
 * Opaque page cursors: the position, bound to the list it belongs to, and signed (HMAC-SHA256), so a
 * tampered cursor or one from another user's list is refused with a 400, never followed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../domain/errors.js';
import { parseJsonRecord } from '../json.js';

const MAX_CURSOR_LENGTH = 1_024;

export class CursorCodec {
  readonly #key: Buffer;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('The cursor secret must be at least 32 characters');
    this.#key = Buffer.from(secret, 'utf8');
  }

  encode(list: string, position: string): string {
    const payload = Buffer.from(JSON.stringify({ l: list, p: position })).toString('base64url');
    return `${payload}.${this.#sign(payload)}`;
  }

  /** The position inside `list`, or VALIDATION_ERROR for anything we did not issue for that list. */
  decode(list: string, cursor: string): string {
    const [payload, signature, extra] = cursor.length <= MAX_CURSOR_LENGTH ? cursor.split('.') : [];
    if (
      payload === undefined ||
      signature === undefined ||
      extra !== undefined ||
      !this.#verify(payload, signature)
    ) {
      throw invalidCursor();
    }
    const decoded = parse(payload);
    if (decoded?.l !== list || typeof decoded.p !== 'string') throw invalidCursor();
    return decoded.p;
  }

  #sign(payload: string): string {
    return createHmac('sha256', this.#key).update(payload).digest('base64url');
  }

  #verify(payload: string, signature: string): boolean {
    const expected = Buffer.from(this.#sign(payload));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

function parse(payload: string): { l?: unknown; p?: unknown } | undefined {
  return parseJsonRecord(Buffer.from(payload, 'base64url').toString('utf8'));
}

function invalidCursor(): ValidationError {
  return new ValidationError('The cursor is not valid for this list', { field: 'cursor' });
}
