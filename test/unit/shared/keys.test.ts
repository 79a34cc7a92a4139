import {
  auditEventIndexKey,
  auditEventKey,
  giftKey,
  giftOpeningKey,
  outboxKey,
} from '../../../shared/adapters/dynamodb/keys.js';

describe('Function: auditEventKey', () => {
  it('returns the EVENT# partition key and the fixed EVENT sort key for an event id', () => {
    // Arrange
    const eventId = '6f1c2b1e-0000-4000-8000-000000000001';

    // Act
    const key = auditEventKey(eventId);

    // Assert
    expect(key).toEqual({ PK: `EVENT#${eventId}`, SK: 'EVENT' });
  });

  it('returns distinct partition keys for distinct event ids', () => {
    // Arrange & Act
    const first = auditEventKey('evt-1');
    const second = auditEventKey('evt-2');

    // Assert
    expect(first.PK).not.toBe(second.PK);
    expect(first.SK).toBe(second.SK);
  });

  it('returns the same key every time for the same event id', () => {
    // Arrange & Act & Assert
    expect(auditEventKey('evt-1')).toEqual(auditEventKey('evt-1'));
  });
});

describe('Function: auditEventIndexKey', () => {
  it('returns the day of the event as the index partition and time#id as the index sort key', () => {
    // Arrange
    const time = '2030-01-02T03:04:05Z';

    // Act
    const key = auditEventIndexKey(time, 'evt-1');

    // Assert
    expect(key).toEqual({ GSI1PK: 'EVENTS#2030-01-02', GSI1SK: '2030-01-02T03:04:05Z#evt-1' });
  });

  it('returns sort keys that order events of one day by time', () => {
    // Arrange
    const earlier = auditEventIndexKey('2030-01-02T03:04:05Z', 'evt-b');
    const later = auditEventIndexKey('2030-01-02T23:59:59Z', 'evt-a');

    // Act
    const sorted = [later.GSI1SK, earlier.GSI1SK].sort();

    // Assert
    expect(earlier.GSI1PK).toBe(later.GSI1PK);
    expect(sorted).toEqual([earlier.GSI1SK, later.GSI1SK]);
  });

  it('returns different index partitions for events on different days', () => {
    // Arrange & Act
    const first = auditEventIndexKey('2030-01-02T23:59:59Z', 'evt-1');
    const second = auditEventIndexKey('2030-01-03T00:00:00Z', 'evt-2');

    // Assert
    expect(first.GSI1PK).toBe('EVENTS#2030-01-02');
    expect(second.GSI1PK).toBe('EVENTS#2030-01-03');
  });
});

describe('Function: giftKey and giftOpeningKey', () => {
  it('puts a gift and its openings in one partition, the gift first', () => {
    // Arrange & Act
    const gift = giftKey('gift_1');
    const opening = giftOpeningKey('gift_1', '@bob:tween.example');

    // Assert
    expect(gift).toEqual({ PK: 'GIFT#gift_1', SK: 'GIFT' });
    expect(opening).toEqual({ PK: 'GIFT#gift_1', SK: 'OPENING#@bob:tween.example' });
    expect([opening.SK, gift.SK].sort()).toEqual([gift.SK, opening.SK]);
  });

  it('returns one opening key per member, so a second opening by the same member collides', () => {
    // Arrange & Act & Assert
    expect(giftOpeningKey('gift_1', '@bob:tween.example')).toEqual(
      giftOpeningKey('gift_1', '@bob:tween.example'),
    );
    expect(giftOpeningKey('gift_1', '@bob:tween.example')).not.toEqual(
      giftOpeningKey('gift_1', '@carol:tween.example'),
    );
  });
});

describe('Function: outboxKey', () => {
  it('keys an outbox item by its deterministic domain event id', () => {
    // Arrange & Act & Assert
    expect(outboxKey('gift.opened:gift_1:@bob:tween.example')).toEqual({
      PK: 'OUTBOX#gift.opened:gift_1:@bob:tween.example',
      SK: 'OUTBOX',
    });
  });
});
