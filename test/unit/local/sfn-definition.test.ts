import { type AslDefinition, prepareDefinition, TIMEOUT_FIELD } from '../../../local/sfn/definition.js';

const NO_TIMEOUT_SECONDS = 2_147_483;

function machine(): AslDefinition {
  return {
    Comment: 'Every nesting the runner meets',
    StartAt: 'Charge',
    States: {
      Charge: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'charge', 'Payload.$': '$' },
        TimeoutSecondsPath: '$.chargeTimeout',
        Next: 'Fan',
      },
      Fan: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Notify',
          States: { Notify: { Type: 'Task', Resource: 'arn:notify', TimeoutSeconds: 30, End: true } },
        },
        Next: 'Legacy',
      },
      Legacy: {
        Type: 'Map',
        Iterator: {
          StartAt: 'Audit',
          States: { Audit: { Type: 'Task', Resource: 'arn:audit', End: true } },
        },
        Next: 'Both',
      },
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Left', States: { Left: { Type: 'Task', Resource: 'arn:left', End: true } } },
          {
            StartAt: 'Wait',
            States: {
              Wait: { Type: 'Wait', Seconds: 1, Next: 'Right' },
              Right: { Type: 'Task', Resource: 'arn:right', End: true },
            },
          },
        ],
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  };
}

describe('Function: prepareDefinition', () => {
  it('returns every Task state, including those inside Map and Parallel states', () => {
    // Arrange
    const definition = machine();

    // Act
    const { tasks } = prepareDefinition(definition);

    // Assert
    expect([...tasks.keys()].sort()).toEqual(['Audit', 'Charge', 'Left', 'Notify', 'Right']);
    expect(tasks.get('Notify')?.Resource).toBe('arn:notify');
    expect(tasks.get('Right')?.Resource).toBe('arn:right');
  });

  it('returns tasks that are the very states of the returned definition', () => {
    // Arrange & Act
    const { definition, tasks } = prepareDefinition(machine());

    // Assert
    expect(tasks.get('Charge')).toBe(definition.States.Charge);
  });

  it('returns Task states found inside a Map nested in a Parallel branch', () => {
    // Arrange
    const definition: AslDefinition = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            {
              StartAt: 'M',
              States: {
                M: {
                  Type: 'Map',
                  End: true,
                  ItemProcessor: {
                    StartAt: 'Deep',
                    States: { Deep: { Type: 'Task', Resource: 'arn:deep', End: true } },
                  },
                },
              },
            },
          ],
        },
      },
    };

    // Act
    const { tasks } = prepareDefinition(definition);

    // Assert
    expect([...tasks.keys()]).toEqual(['Deep']);
  });

  it('throws naming the state when two Task states share a name across nested machines', () => {
    // Arrange
    const definition: AslDefinition = {
      StartAt: 'Notify',
      States: {
        Notify: { Type: 'Task', Resource: 'arn:a', Next: 'Fan' },
        Fan: {
          Type: 'Map',
          End: true,
          ItemProcessor: {
            StartAt: 'Notify',
            States: { Notify: { Type: 'Task', Resource: 'arn:b', End: true } },
          },
        },
      },
    };

    // Act & Assert
    expect(() => prepareDefinition(definition)).toThrow(
      'Task state names must be unique for the local runner: Notify',
    );
  });

  it('returns the timeout path moved into Parameters under the reserved field', () => {
    // Arrange & Act
    const { tasks } = prepareDefinition(machine());

    // Assert
    const charge = tasks.get('Charge');
    expect(charge?.Parameters).toEqual({
      FunctionName: 'charge',
      'Payload.$': '$',
      [`${TIMEOUT_FIELD}.$`]: '$.chargeTimeout',
    });
    expect(charge?.TimeoutSecondsPath).toBe(`$.${TIMEOUT_FIELD}`);
    expect(charge?.TimeoutSeconds).toBeUndefined();
  });

  it('keeps the timeout path as it is when the Task has no Parameters to carry it', () => {
    // Arrange
    const definition: AslDefinition = {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:t', TimeoutSecondsPath: '$.timeout', End: true } },
    };

    // Act
    const { tasks } = prepareDefinition(definition);

    // Assert
    expect(tasks.get('T')).toEqual({
      Type: 'Task',
      Resource: 'arn:t',
      TimeoutSecondsPath: '$.timeout',
      End: true,
    });
  });

  it('returns a huge TimeoutSeconds for a Task without any timeout', () => {
    // Arrange & Act
    const { tasks } = prepareDefinition(machine());

    // Assert
    expect(tasks.get('Audit')?.TimeoutSeconds).toBe(NO_TIMEOUT_SECONDS);
    expect(tasks.get('Left')?.TimeoutSeconds).toBe(NO_TIMEOUT_SECONDS);
    expect(NO_TIMEOUT_SECONDS * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
  });

  it('returns an explicit TimeoutSeconds unchanged', () => {
    // Arrange & Act
    const { tasks } = prepareDefinition(machine());

    // Assert
    expect(tasks.get('Notify')?.TimeoutSeconds).toBe(30);
  });

  it('does not change the definition it is given', () => {
    // Arrange
    const definition = machine();
    const before = structuredClone(definition);

    // Act
    const { definition: prepared } = prepareDefinition(definition);

    // Assert
    expect(definition).toEqual(before);
    expect(prepared).not.toBe(definition);
    expect(prepared).not.toEqual(before);
  });

  it('returns non-Task states and top-level fields unchanged', () => {
    // Arrange & Act
    const { definition } = prepareDefinition(machine());

    // Assert
    expect(definition.Comment).toBe('Every nesting the runner meets');
    expect(definition.StartAt).toBe('Charge');
    expect(definition.States.Done).toEqual({ Type: 'Succeed' });
  });

  it('returns no tasks for a machine without Task states', () => {
    // Arrange
    const definition: AslDefinition = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };

    // Act
    const { tasks } = prepareDefinition(definition);

    // Assert
    expect(tasks.size).toBe(0);
  });
});
