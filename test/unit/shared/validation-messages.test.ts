/**
 * The request schemas are zod/mini, which carries no messages of its own; classic zod loaded English ones
 * when it was imported. This file imports no classic zod (nor anything that does), so it sees the messages
 * a function whose bundle holds only zod/mini answers with.
 */
import { parseDomainEvent } from '../../../shared/domain/events.js';
import { mapError } from '../../../shared/http/errors.js';
import { parseRequest } from '../../../shared/http/request.js';
import { PaymentRequest } from '../../../shared/http/schemas/payments.js';
import { httpEvent } from '../../support/events.js';

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('Function: parseRequest (zod/mini schemas)', () => {
  it('returns the issues in English, as classic zod wrote them, for a body that breaks the schema', () => {
    // Arrange
    const event = httpEvent({
      body: {
        appId: 'app',
        amount: { value: 100, currency: 'USD' },
        paymentMethod: { type: 'wallet' },
        description: 7,
        extra: true,
      },
    });

    // Act
    const mapped = mapError(thrownBy(() => parseRequest(event, { body: PaymentRequest })));

    // Assert
    expect(mapped.status).toBe(400);
    expect(mapped.body).toStrictEqual({
      error: {
        code: 'VALIDATION_ERROR',
        message: 'The request is not valid',
        details: {
          issues: [
            { path: 'description', message: 'Invalid input: expected string, received number' },
            { path: '', message: 'Unrecognized key: "extra"' },
          ],
        },
      },
    });
  });

  it('returns INVALID_AMOUNT with the English issue for an amount that is not an integer', () => {
    // Arrange
    const event = httpEvent({
      body: {
        appId: 'app',
        amount: { value: 1.5, currency: 'USD' },
        paymentMethod: { type: 'wallet' },
        description: 'tea',
      },
    });

    // Act
    const mapped = mapError(thrownBy(() => parseRequest(event, { body: PaymentRequest })));

    // Assert
    expect(mapped.body.error.code).toBe('INVALID_AMOUNT');
    expect(mapped.body.error.details).toStrictEqual({
      issues: [{ path: 'amount.value', message: 'Invalid input: expected int, received number' }],
    });
  });
});

describe('Function: parseDomainEvent (zod/mini schemas)', () => {
  it('names the broken fields with English messages', () => {
    // Act
    const error = thrownBy(() => parseDomainEvent('gift.opened', { giftId: '' }));

    // Assert
    expect(error).toHaveProperty(
      'details.issues',
      expect.arrayContaining([
        { path: 'giftId', message: 'Too small: expected string to have >=1 characters' },
      ]),
    );
  });
});
