import type { Context } from 'aws-lambda';
import {
  type Handler,
  LambdaInvocationError,
  type LocalFunction,
  LocalLambda,
} from '../../../local/lambda.js';
import { Counters } from '../../../local/metrics.js';
import { currentDeadline, withDeadline } from '../../../shared/app/deadline.js';

function fn(handler: Handler, options: Partial<Omit<LocalFunction, 'load'>> = {}): LocalFunction {
  return { memoryMb: 1024, timeoutSeconds: 10, load: async () => handler, ...options };
}

async function invocationErrorOf(promise: Promise<unknown>): Promise<LambdaInvocationError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LambdaInvocationError) return error;
    throw error;
  }
  throw new Error('expected the invocation to fail');
}

class CardDeclinedError extends Error {
  override readonly name = 'CardDeclinedError';
}

describe('Class: LocalLambda', () => {
  describe('Method: invoke', () => {
    it('returns what the registered handler returns for the event', async () => {
      // Arrange
      const lambda = new LocalLambda(new Counters());
      lambda.register(
        'echo',
        fn(async (event) => ({ received: event })),
      );

      // Act
      const result = await lambda.invoke('echo', { amount: 5 });

      // Assert
      expect(result).toEqual({ received: { amount: 5 } });
    });

    it("runs the handler outside the invoking request's time budget, as a separate execution environment would", async () => {
      // Arrange: a request whose budget is long spent starts another function (a state machine task, say).
      const lambda = new LocalLambda(new Counters());
      lambda.register(
        'deadline',
        fn(async () => ({ deadline: currentDeadline() ?? null })),
      );

      // Act
      const result = await withDeadline(Date.now() - 1_000, () => lambda.invoke('deadline', {}));

      // Assert
      expect(result).toEqual({ deadline: null });
    });

    it('passes a Lambda-shaped context naming the function', async () => {
      // Arrange
      const lambda = new LocalLambda(new Counters(), 'eu-west-1', '111122223333');
      let seen: Context | undefined;
      lambda.register(
        'payments',
        fn(
          async (_event, context) => {
            seen = context;
            return null;
          },
          { memoryMb: 512, timeoutSeconds: 3 },
        ),
      );

      // Act
      await lambda.invoke('payments', {});

      // Assert
      expect(seen).toMatchObject({
        functionName: 'payments',
        functionVersion: '$LATEST',
        invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:payments',
        memoryLimitInMB: '512',
        logGroupName: '/aws/lambda/payments',
      });
      expect(seen?.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(seen?.getRemainingTimeInMillis()).toBeGreaterThan(0);
      expect(seen?.getRemainingTimeInMillis()).toBeLessThanOrEqual(3_000);
    });

    it('gives the handler a copy of the event, so its changes do not reach the caller', async () => {
      // Arrange
      const lambda = new LocalLambda(new Counters());
      lambda.register(
        'mutator',
        fn(async (event) => {
          const record = event as { items: string[]; status: string };
          record.items.push('added');
          record.status = 'changed';
          return record;
        }),
      );
      const event = { items: ['original'], status: 'new' };

      // Act
      const result = await lambda.invoke('mutator', event);

      // Assert
      expect(event).toEqual({ items: ['original'], status: 'new' });
      expect(result).toEqual({ items: ['original', 'added'], status: 'changed' });
    });

    it('counts the invocation, its billed duration and its GB-seconds', async () => {
      // Arrange
      const counters = new Counters();
      const lambda = new LocalLambda(counters);
      lambda.register(
        'slow',
        fn(() => new Promise((resolve) => setTimeout(() => resolve('done'), 20)), { memoryMb: 2048 }),
      );

      // Act
      await lambda.invoke('slow', {});
      await lambda.invoke('slow', {});

      // Assert
      const snapshot = counters.snapshot();
      expect(snapshot.lambdaInvocations).toBe(2);
      expect(snapshot.lambdaDurationMs).toBeGreaterThanOrEqual(30);
      expect(Number.isInteger(snapshot.lambdaDurationMs)).toBe(true);
      expect(snapshot.lambdaGbSeconds).toBeCloseTo((snapshot.lambdaDurationMs / 1000) * 2, 10);
    });

    it('bills at least one millisecond for an instant invocation', async () => {
      // Arrange
      const counters = new Counters();
      const lambda = new LocalLambda(counters);
      lambda.register(
        'instant',
        fn(async () => undefined, { memoryMb: 128 }),
      );

      // Act
      await lambda.invoke('instant', {});

      // Assert
      expect(counters.snapshot().lambdaDurationMs).toBeGreaterThanOrEqual(1);
      expect(counters.snapshot().lambdaGbSeconds).toBeGreaterThan(0);
    });

    it('throws a LambdaInvocationError whose errorType is the thrown error name', async () => {
      // Arrange
      const lambda = new LocalLambda(new Counters());
      lambda.register(
        'charge',
        fn(async () => {
          throw new CardDeclinedError('insufficient funds');
        }),
      );

      // Act
      const error = await invocationErrorOf(lambda.invoke('charge', {}));

      // Assert
      expect(error.errorType).toBe('CardDeclinedError');
      expect(error.errorMessage).toBe('insufficient funds');
      expect(error.name).toBe('CardDeclinedError');
      expect(error.message).toBe('CardDeclinedError: insufficient funds');
    });

    it('throws a LambdaInvocationError of type Error when the handler throws a non-Error', async () => {
      // Arrange
      const lambda = new LocalLambda(new Counters());
      lambda.register(
        'odd',
        fn(async () => {
          throw 'plain string';
        }),
      );

      // Act
      const error = await invocationErrorOf(lambda.invoke('odd', {}));

      // Assert
      expect(error.errorType).toBe('Error');
      expect(error.errorMessage).toBe('plain string');
    });

    it('counts a failed invocation too', async () => {
      // Arrange
      const counters = new Counters();
      const lambda = new LocalLambda(counters);
      lambda.register(
        'failing',
        fn(async () => {
          throw new Error('boom');
        }),
      );

      // Act
      await invocationErrorOf(lambda.invoke('failing', {}));

      // Assert
      expect(counters.snapshot().lambdaInvocations).toBe(1);
    });

    it('throws naming the function when no function of that name is registered', async () => {
      // Arrange
      const counters = new Counters();
      const lambda = new LocalLambda(counters);

      // Act & Assert
      await expect(lambda.invoke('missing', {})).rejects.toThrow('No local function named missing');
      expect(counters.snapshot().lambdaInvocations).toBe(0);
    });

    it('loads the module once for many invocations (one cold start)', async () => {
      // Arrange
      const lambda = new LocalLambda(new Counters());
      let loads = 0;
      lambda.register('warm', {
        memoryMb: 128,
        timeoutSeconds: 1,
        load: async () => {
          loads += 1;
          return async () => 'ok';
        },
      });

      // Act
      await Promise.all([lambda.invoke('warm', {}), lambda.invoke('warm', {})]);
      await lambda.invoke('warm', {});

      // Assert
      expect(loads).toBe(1);
    });

    it('uses the new handler after a function is registered again', async () => {
      // Arrange
      const lambda = new LocalLambda(new Counters());
      lambda.register(
        'versioned',
        fn(async () => 'v1'),
      );
      await lambda.invoke('versioned', {});

      // Act
      lambda.register(
        'versioned',
        fn(async () => 'v2'),
      );
      const result = await lambda.invoke('versioned', {});

      // Assert
      expect(result).toBe('v2');
    });
  });

  describe('Bound on invocations in flight', () => {
    it('runs at most maxInFlight invocations of a function at once; the others wait in order', async () => {
      // Arrange
      const lambda = new LocalLambda(new Counters(), 'us-east-1', '000000000000', 2);
      let running = 0;
      let mostAtOnce = 0;
      const order: number[] = [];
      lambda.register(
        'slow',
        fn(async (event) => {
          running += 1;
          mostAtOnce = Math.max(mostAtOnce, running);
          order.push(event as number);
          await new Promise((resolve) => setTimeout(resolve, 20));
          running -= 1;
          return event;
        }),
      );

      // Act
      const results = await Promise.all([1, 2, 3, 4, 5].map((n) => lambda.invoke('slow', n)));

      // Assert
      expect(results).toEqual([1, 2, 3, 4, 5]);
      expect(mostAtOnce).toBe(2);
      expect(order).toEqual([1, 2, 3, 4, 5]);
    });

    it('starts an invocation deadline when it runs, not while it waits for its turn', async () => {
      // Arrange
      const lambda = new LocalLambda(new Counters(), 'us-east-1', '000000000000', 1);
      const remaining: number[] = [];
      lambda.register(
        'timed',
        fn(
          async (_event, context) => {
            remaining.push(context.getRemainingTimeInMillis());
            await new Promise((resolve) => setTimeout(resolve, 300));
          },
          { timeoutSeconds: 1 },
        ),
      );

      // Act
      await Promise.all([lambda.invoke('timed', 1), lambda.invoke('timed', 2)]);

      // Assert: the second waited 300 ms for the first, yet started with (nearly) its whole second.
      expect(remaining).toHaveLength(2);
      expect(remaining[1]).toBeGreaterThan(900);
    });

    it('frees the slot of an invocation that failed', async () => {
      // Arrange
      const lambda = new LocalLambda(new Counters(), 'us-east-1', '000000000000', 1);
      lambda.register(
        'flaky',
        fn(async (event) => {
          if (event === 'fail') throw new CardDeclinedError('declined');
          return event;
        }),
      );

      // Act
      const [failed, next] = await Promise.allSettled([
        lambda.invoke('flaky', 'fail'),
        lambda.invoke('flaky', 'ok'),
      ]);

      // Assert
      expect(failed.status).toBe('rejected');
      expect(next).toEqual({ status: 'fulfilled', value: 'ok' });
    });

    it('does not let one function hold up another', async () => {
      // Arrange
      const lambda = new LocalLambda(new Counters(), 'us-east-1', '000000000000', 1);
      let release: () => void = () => undefined;
      lambda.register(
        'blocked',
        fn(() => new Promise((resolve) => (release = () => resolve('done')))),
      );
      lambda.register(
        'other',
        fn(async () => 'other'),
      );

      // Act
      const blocked = lambda.invoke('blocked', {});
      const other = await lambda.invoke('other', {});
      release();

      // Assert
      expect(other).toBe('other');
      expect(await blocked).toBe('done');
    });
  });

  describe('Method: register', () => {
    it('makes the function known by name', () => {
      // Arrange
      const lambda = new LocalLambda(new Counters());

      // Act
      lambda.register(
        'a',
        fn(async () => null),
      );
      lambda.register(
        'b',
        fn(async () => null),
      );

      // Assert
      expect(lambda.has('a')).toBe(true);
      expect(lambda.has('c')).toBe(false);
      expect(lambda.names()).toEqual(['a', 'b']);
    });
  });

  describe('Method: warmUp', () => {
    it('loads every registered function before the first invocation', async () => {
      // Arrange
      const lambda = new LocalLambda(new Counters());
      const loaded: string[] = [];
      for (const name of ['a', 'b']) {
        lambda.register(name, {
          memoryMb: 128,
          timeoutSeconds: 1,
          load: async () => {
            loaded.push(name);
            return async () => null;
          },
        });
      }

      // Act
      await lambda.warmUp();

      // Assert
      expect(loaded.sort()).toEqual(['a', 'b']);
    });
  });

  describe('Method: arnOf', () => {
    it('returns a Lambda function ARN with the region and account', () => {
      // Arrange
      const lambda = new LocalLambda(new Counters());

      // Act & Assert
      expect(lambda.arnOf('eventsAudit')).toBe('arn:aws:lambda:us-east-1:000000000000:function:eventsAudit');
    });
  });

  describe('Method: nameOfArn', () => {
    it('returns the name back from the ARN arnOf gives', () => {
      // Arrange
      const lambda = new LocalLambda(new Counters());
      lambda.register(
        'eventsAudit',
        fn(async () => null),
      );

      // Act & Assert
      expect(lambda.nameOfArn(lambda.arnOf('eventsAudit'))).toBe('eventsAudit');
    });

    it('returns the name from a qualified ARN', () => {
      // Arrange
      const lambda = new LocalLambda(new Counters());
      lambda.register(
        'charge',
        fn(async () => null),
      );

      // Act & Assert
      expect(lambda.nameOfArn(`${lambda.arnOf('charge')}:$LATEST`)).toBe('charge');
      expect(lambda.nameOfArn(`${lambda.arnOf('charge')}:live`)).toBe('charge');
    });

    it('returns the name when given a bare registered function name', () => {
      // Arrange
      const lambda = new LocalLambda(new Counters());
      lambda.register(
        'charge',
        fn(async () => null),
      );

      // Act & Assert
      expect(lambda.nameOfArn('charge')).toBe('charge');
    });

    it('returns undefined for a function that is not registered', () => {
      // Arrange
      const lambda = new LocalLambda(new Counters());

      // Act & Assert
      expect(lambda.nameOfArn(lambda.arnOf('ghost'))).toBeUndefined();
      expect(lambda.nameOfArn('ghost')).toBeUndefined();
    });
  });
});
