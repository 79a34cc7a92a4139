import { circuitBreakerEntity } from '../../../../shared/adapters/dynamodb/entities/circuit-breaker.js';
import { MalformedItemError } from '../../../../shared/adapters/dynamodb/entity.js';

describe('Entity: CircuitBreaker', () => {
  const stripe = circuitBreakerEntity('stripe');

  it('reads a breaker opened before any failure was counted as having none', () => {
    // Act & Assert
    expect(
      stripe.fromItem({ PK: 'BREAKER#stripe', SK: 'BREAKER', type: 'CircuitBreaker', openedAt: 5 }),
    ).toEqual({ failures: 0, openedAt: 5 });
  });

  it('refuses an opening time that is not epoch milliseconds, instead of reading the breaker as closed', () => {
    // Act & Assert
    expect(() => stripe.fromItem({ failures: 3, openedAt: '2030-01-01' })).toThrow(MalformedItemError);
  });
});
