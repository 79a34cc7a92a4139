import { enrolmentReadOnce } from '../../../../shared/app/mfa/enrolment-once.js';
import type { MfaMethod } from '../../../../shared/domain/mfa.js';

describe('enrolmentReadOnce', () => {
  it('reads each user once, however often it is asked', async () => {
    // Arrange
    const reads: string[] = [];
    const enrolment = enrolmentReadOnce({
      methodsOf: async (userId): Promise<MfaMethod[]> => {
        reads.push(userId);
        return userId === 'alice' ? ['transaction_pin'] : [];
      },
    });

    // Act
    const answers = [
      await enrolment.methodsOf('alice'),
      await enrolment.methodsOf('alice'),
      await enrolment.methodsOf('bob'),
    ];

    // Assert
    expect(answers).toEqual([['transaction_pin'], ['transaction_pin'], []]);
    expect(reads).toEqual(['alice', 'bob']);
  });
});
