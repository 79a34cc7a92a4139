import { auditEventIndexKey, auditEventKey } from '../../../shared/adapters/dynamodb/keys.js';

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
