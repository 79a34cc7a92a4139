import { Counters } from '../../../local/metrics.js';

describe('Class: Counters', () => {
  describe('Method: snapshot', () => {
    it('returns every counter at zero when nothing was counted', () => {
      // Arrange
      const counters = new Counters();

      // Act
      const snapshot = counters.snapshot();

      // Assert
      expect(Object.values(snapshot).every((value) => value === 0)).toBe(true);
      expect(Object.keys(snapshot)).toContain('lambdaInvocations');
    });

    it('returns a copy that later counting does not change', () => {
      // Arrange
      const counters = new Counters();
      const before = counters.snapshot();

      // Act
      counters.add('apiRequests');

      // Assert
      expect(before.apiRequests).toBe(0);
      expect(counters.snapshot().apiRequests).toBe(1);
    });

    it('returns a copy whose changes do not reach the counters', () => {
      // Arrange
      const counters = new Counters();
      const snapshot = counters.snapshot();

      // Act
      snapshot.eventsPut = 99;

      // Assert
      expect(counters.snapshot().eventsPut).toBe(0);
    });
  });

  describe('Method: add', () => {
    it('adds one when no amount is given', () => {
      // Arrange
      const counters = new Counters();

      // Act
      counters.add('lambdaInvocations');
      counters.add('lambdaInvocations');

      // Assert
      expect(counters.snapshot().lambdaInvocations).toBe(2);
    });

    it('adds fractional amounts and leaves the other counters alone', () => {
      // Arrange
      const counters = new Counters();

      // Act
      counters.add('lambdaGbSeconds', 0.25);
      counters.add('lambdaGbSeconds', 0.5);

      // Assert
      const snapshot = counters.snapshot();
      expect(snapshot.lambdaGbSeconds).toBeCloseTo(0.75);
      expect(snapshot.lambdaInvocations).toBe(0);
      expect(snapshot.dynamoWriteUnits).toBe(0);
    });
  });

  describe('Method: reset', () => {
    it('returns every counter to zero', () => {
      // Arrange
      const counters = new Counters();
      counters.add('dynamoReadUnits', 4);
      counters.add('kmsCalls');

      // Act
      counters.reset();

      // Assert
      expect(Object.values(counters.snapshot()).every((value) => value === 0)).toBe(true);
    });

    it('keeps counting from zero after a reset', () => {
      // Arrange
      const counters = new Counters();
      counters.add('sqsRequests', 10);
      counters.reset();

      // Act
      counters.add('sqsRequests', 2);

      // Assert
      expect(counters.snapshot().sqsRequests).toBe(2);
    });
  });
});
