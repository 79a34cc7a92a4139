/**
 * Step Functions on this machine: the ASL files run on aws-local-stepfunctions, behind the Step Functions
 * API (StartExecution, DescribeExecution, GetExecutionHistory, SendTaskSuccess/Failure/Heartbeat,
 * ListStateMachines) so handlers use @aws-sdk/client-sfn unchanged.
 *
 * Task resources are served locally: `lambda:invoke` (and `.waitForTaskToken`) invoke the local function
 * modules with AWS-shaped results (`{Payload}`), and `events:putEvents` goes to the local bus. The runner has
 * no task tokens of its own, so `$$.Task.Token` is a sentinel that each task entry swaps for a fresh token.
 */
import '../polyfills.js';
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { substitute } from '../../shared/infra/asl-placeholders.js';
import { isRecord } from '../../shared/json.js';
import { AwsServiceError } from '../aws-json.js';
import type { LocalEventBus } from '../eventbridge/bus.js';
import { LambdaInvocationError, type LocalLambda } from '../lambda.js';
import type { Counters } from '../metrics.js';
import { type AslDefinition, prepareDefinition, type TaskState, TIMEOUT_FIELD } from './definition.js';

type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

const TOKEN_SENTINEL = '__LOCAL_TASK_TOKEN__';
const HISTORY_LIMIT = 500;

type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface RegisteredMachine {
  name: string;
  arn: string;
  definition: AslDefinition;
  tasks: Map<string, TaskState>;
  createdAt: Date;
}

export interface HistoryEvent {
  id: number;
  timestamp: Date;
  type: string;
  stateName?: string;
  detail?: Json;
}

interface Execution {
  arn: string;
  name: string;
  machine: RegisteredMachine;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
  abort: () => void;
}

interface PendingTask {
  executionArn: string;
  stateName: string;
  resolve: (output: Json) => void;
  reject: (error: Error) => void;
}

/** An error a task reported through SendTaskFailure: Retry and Catch match on its name. */
class TaskFailedError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

export class LocalStepFunctions {
  readonly #machines = new Map<string, RegisteredMachine>();
  readonly #executions = new Map<string, Execution>();
  readonly #tasks = new Map<string, PendingTask>();
  readonly #timedOut = new Set<string>();

  constructor(
    private readonly lambda: LocalLambda,
    private readonly bus: LocalEventBus,
    private readonly counters: Counters,
    private readonly region = 'us-east-1',
    private readonly account = '000000000000',
  ) {}

  /** Registers an ASL text (with its `${...}` placeholders) as the state machine `name`; returns its ARN. */
  register(name: string, aslText: string): string {
    const substituted = substitute(
      aslText,
      (placeholder) =>
        placeholder.kind === 'eventBusName' ? this.bus.name : this.lambda.arnOf(placeholder.fn),
      this.lambda.names(),
    );
    const { definition, tasks } = prepareDefinition(JSON.parse(substituted) as AslDefinition);
    for (const [stateName, task] of tasks) this.#assertSupported(stateName, task);
    new StateMachine(definition as never, { validationOptions: { checkArn: false } }); // throws if invalid
    const arn = `arn:aws:states:${this.region}:${this.account}:stateMachine:${name}`;
    this.#machines.set(arn, { name, arn, definition, tasks, createdAt: new Date() });
    return arn;
  }

  /** The AWS JSON service: `AWSStepFunctions.<Operation>`. */
  readonly service = async (operation: string, request: Record<string, unknown>): Promise<unknown> => {
    switch (operation) {
      case 'StartExecution':
        return this.startExecution(
          str(request.stateMachineArn),
          optionalStr(request.name),
          optionalStr(request.input),
        );
      case 'DescribeExecution':
        return this.#describe(this.#execution(str(request.executionArn)));
      case 'GetExecutionHistory':
        return this.#history(this.#execution(str(request.executionArn)), request.reverseOrder === true);
      case 'ListStateMachines':
        return {
          stateMachines: [...this.#machines.values()].map((m) => ({
            stateMachineArn: m.arn,
            name: m.name,
            type: 'STANDARD',
            creationDate: m.createdAt.getTime() / 1000,
          })),
        };
      case 'SendTaskSuccess':
        return this.#settleTask(str(request.taskToken), (task) =>
          task.resolve(parseJson(str(request.output))),
        );
      case 'SendTaskFailure':
        return this.#settleTask(str(request.taskToken), (task) =>
          task.reject(
            new TaskFailedError(
              optionalStr(request.error) ?? 'States.TaskFailed',
              optionalStr(request.cause) ?? '',
            ),
          ),
        );
      case 'SendTaskHeartbeat':
        return this.#settleTask(str(request.taskToken), () => undefined, false);
      case 'StopExecution':
        return this.#stop(this.#execution(str(request.executionArn)));
      default:
        throw new AwsServiceError(
          'UnknownOperationException',
          `Step Functions ${operation} is not available locally`,
        );
    }
  };

  startExecution(stateMachineArn: string, name: string | undefined, input: string | undefined) {
    const machine = this.#machines.get(stateMachineArn);
    if (machine === undefined)
      throw new AwsServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    const executionName = name ?? randomUUID();
    const arn = `arn:aws:states:${this.region}:${this.account}:execution:${machine.name}:${executionName}`;
    const inputText = input ?? '{}';
    const existing = this.#executions.get(arn);
    if (existing !== undefined) {
      // Standard workflows: the same name and input while running is the same execution; anything else is refused.
      if (existing.status === 'RUNNING' && existing.input === inputText) {
        return { executionArn: arn, startDate: existing.startDate.getTime() / 1000 };
      }
      throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const parsedInput = parseJson(inputText);
    const execution = this.#run(machine, arn, executionName, inputText, parsedInput);
    this.#executions.set(arn, execution);
    this.counters.add('executionsStarted');
    return { executionArn: arn, startDate: execution.startDate.getTime() / 1000 };
  }

  executions(): readonly Execution[] {
    return [...this.#executions.values()];
  }

  findExecution(nameOrArn: string): Execution | undefined {
    return (
      this.#executions.get(nameOrArn) ?? [...this.#executions.values()].find((e) => e.name === nameOrArn)
    );
  }

  /** Ops view, like the console: the path of states each execution went through. */
  summary(execution: Execution) {
    return {
      name: execution.name,
      executionArn: execution.arn,
      stateMachine: execution.machine.name,
      status: execution.status,
      startDate: execution.startDate.toISOString(),
      ...(execution.stopDate === undefined ? {} : { stopDate: execution.stopDate.toISOString() }),
      statePath: execution.history.filter((e) => e.type.endsWith('StateEntered')).map((e) => e.stateName),
      ...(execution.error === undefined ? {} : { error: execution.error, cause: execution.cause }),
    };
  }

  detail(execution: Execution) {
    return {
      ...this.summary(execution),
      input: parseJson(execution.input),
      ...(execution.output === undefined ? {} : { output: parseJson(execution.output) }),
      history: execution.history.map((e) => ({ ...e, timestamp: e.timestamp.toISOString() })),
    };
  }

  /** Waits until an execution is no longer RUNNING (tests and benchmarks). */
  async waitForCompletion(executionArn: string, timeoutMs = 30_000): Promise<Execution> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const execution = this.#execution(executionArn);
      if (execution.status !== 'RUNNING') return execution;
      if (Date.now() > deadline) throw new Error(`${executionArn} still running after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  stopAll(): void {
    for (const execution of this.#executions.values())
      if (execution.status === 'RUNNING') this.#stop(execution);
  }

  #run(machine: RegisteredMachine, arn: string, name: string, inputText: string, input: Json): Execution {
    // Validated once at register: validating again compiles the ASL schema per execution, which was a fifth
    // of the whole stack's CPU under load.
    const stateMachine = new StateMachine(machine.definition as never, {
      validationOptions: { noValidate: true },
    });
    const startDate = new Date();
    const overrides = Object.fromEntries(
      [...machine.tasks].map(([stateName, task]) => [
        stateName,
        (taskInput: unknown) => this.#runTask(arn, stateName, task, taskInput),
      ]),
    );
    const run = stateMachine.run(input as never, {
      overrides: { taskResourceLocalHandlers: overrides as never },
      noThrowOnAbort: true,
      context: {
        Execution: {
          Id: arn,
          Name: name,
          StartTime: startDate.toISOString(),
          Input: input as never,
          RoleArn: 'local',
        },
        StateMachine: { Id: machine.arn, Name: machine.name },
        Task: { Token: TOKEN_SENTINEL },
      },
    });
    const execution: Execution = {
      arn,
      name,
      machine,
      input: inputText,
      status: 'RUNNING',
      startDate,
      history: [],
      abort: run.abort,
    };
    void this.#record(execution, run.eventLogs);
    run.result.then(
      (output) => {
        if (execution.status !== 'RUNNING') return;
        execution.status = 'SUCCEEDED';
        execution.output = JSON.stringify(output ?? null);
        execution.stopDate = new Date();
      },
      (error: unknown) => {
        if (execution.status !== 'RUNNING') return;
        const failure = error instanceof Error ? error : new Error(String(error));
        execution.status = failure.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED';
        const cause = (failure as { cause?: unknown }).cause;
        execution.error = cause instanceof Error ? cause.name : failure.name;
        execution.cause = cause instanceof Error ? cause.message : failure.message;
        execution.stopDate = new Date();
      },
    );
    return execution;
  }

  async #record(execution: Execution, events: AsyncGenerator<EventLog>): Promise<void> {
    let id = 0;
    for await (const event of events) {
      const entry = historyEntry(event, ++id);
      if (entry.type.endsWith('StateEntered') || entry.type === 'StateRetried')
        this.counters.add('stateTransitions');
      if (execution.history.length < HISTORY_LIMIT) execution.history.push(entry);
    }
  }

  async #runTask(executionArn: string, stateName: string, task: TaskState, rawInput: unknown): Promise<Json> {
    const { [TIMEOUT_FIELD]: bridgedTimeout, ...input } = (isRecord(rawInput) ? rawInput : {}) as Record<
      string,
      Json
    >;
    const taskInput: Json = isRecord(rawInput) ? input : (rawInput as Json);
    const resource = task.Resource.replace(/\.waitForTaskToken$/, '');
    if (resource === task.Resource) return this.#callResource(resource, taskInput);

    // A callback task: issue a fresh token, call the resource with it, then wait for SendTask*.
    const token = Buffer.from(`${executionArn}|${stateName}|${randomUUID()}`).toString('base64url');
    const timeoutSeconds = typeof bridgedTimeout === 'number' ? bridgedTimeout : task.TimeoutSeconds;
    const settled = new Promise<Json>((resolve, reject) => {
      this.#tasks.set(token, { executionArn, stateName, resolve, reject });
    });
    // It may be failed (SendTaskFailure from the task's own function, or the timeout under load) before the
    // resource call below returns; it is awaited after that, so an early rejection must not count as unhandled
    // (Node would end the whole stack for it).
    settled.catch(() => undefined);
    // The runner enforces the timeout itself; this only retires the token at the same moment, as AWS does.
    const expiry = setTimeout(() => this.#expireTask(token), (timeoutSeconds ?? 0) * 1000);
    try {
      await this.#callResource(resource, replaceDeep(taskInput, TOKEN_SENTINEL, token));
      return await settled;
    } finally {
      clearTimeout(expiry);
      this.#tasks.delete(token);
    }
  }

  #expireTask(token: string): void {
    const task = this.#tasks.get(token);
    if (task === undefined) return;
    this.#tasks.delete(token);
    this.#timedOut.add(token);
    task.reject(new TaskFailedError('States.Timeout', 'The task timed out'));
  }

  async #callResource(resource: string, input: Json): Promise<Json> {
    if (resource === 'arn:aws:states:::lambda:invoke') {
      const request = isRecord(input) ? input : {};
      const fn = this.lambda.nameOfArn(String(request.FunctionName ?? ''));
      if (fn === undefined)
        throw new TaskFailedError(
          'Lambda.ResourceNotFoundException',
          `No function ${String(request.FunctionName)}`,
        );
      const payload = await this.#invoke(fn, request.Payload ?? {});
      return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
    }
    if (resource === 'arn:aws:states:::events:putEvents') {
      const entries = isRecord(input) && Array.isArray(input.Entries) ? input.Entries : [];
      const result = this.bus.putEvents(entries as never);
      if (result.FailedEntryCount > 0)
        throw new TaskFailedError('EventBridge.FailedEntry', JSON.stringify(result.Entries));
      return result as unknown as Json;
    }
    const fn = this.lambda.nameOfArn(resource);
    if (fn !== undefined) return this.#invoke(fn, input);
    throw new TaskFailedError('States.Runtime', `Resource ${resource} is not available locally`);
  }

  async #invoke(fn: string, payload: unknown): Promise<Json> {
    try {
      return ((await this.lambda.invoke(fn, payload)) ?? null) as Json;
    } catch (error) {
      if (error instanceof LambdaInvocationError) {
        throw new TaskFailedError(
          error.errorType,
          JSON.stringify({ errorType: error.errorType, errorMessage: error.errorMessage }),
        );
      }
      throw error;
    }
  }

  #assertSupported(stateName: string, task: TaskState): void {
    const base = task.Resource.replace(/\.waitForTaskToken$/, '');
    const supported =
      base === 'arn:aws:states:::lambda:invoke' ||
      base === 'arn:aws:states:::events:putEvents' ||
      this.lambda.nameOfArn(task.Resource) !== undefined;
    if (!supported)
      throw new Error(`Task ${stateName}: resource ${task.Resource} is not available in the local runner`);
  }

  #settleTask(token: string, settle: (task: PendingTask) => void, remove = true): Record<string, never> {
    const task = this.#tasks.get(token);
    if (task === undefined && this.#timedOut.has(token)) {
      throw new AwsServiceError('TaskTimedOut', 'Task Timed Out');
    }
    if (task === undefined) {
      throw new AwsServiceError(
        'TaskDoesNotExist',
        'Task does not exist anymore (completed, timed out or never issued)',
      );
    }
    if (remove) this.#tasks.delete(token);
    settle(task);
    return {};
  }

  #execution(arn: string): Execution {
    const execution = this.#executions.get(arn);
    if (execution === undefined)
      throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  #describe(execution: Execution) {
    return {
      executionArn: execution.arn,
      stateMachineArn: execution.machine.arn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate.getTime() / 1000,
      ...(execution.stopDate === undefined ? {} : { stopDate: execution.stopDate.getTime() / 1000 }),
      input: execution.input,
      ...(execution.output === undefined ? {} : { output: execution.output }),
      ...(execution.error === undefined ? {} : { error: execution.error, cause: execution.cause }),
    };
  }

  #history(execution: Execution, reverse: boolean) {
    const events = execution.history.map((e) => ({
      id: e.id,
      previousEventId: e.id - 1,
      timestamp: e.timestamp.getTime() / 1000,
      type: e.type,
      ...(e.stateName === undefined
        ? {}
        : { stateEnteredEventDetails: { name: e.stateName, input: JSON.stringify(e.detail ?? null) } }),
    }));
    return { events: reverse ? events.reverse() : events };
  }

  #stop(execution: Execution): { stopDate: number } {
    if (execution.status === 'RUNNING') {
      execution.status = 'ABORTED';
      execution.stopDate = new Date();
      execution.abort();
    }
    return { stopDate: (execution.stopDate ?? new Date()).getTime() / 1000 };
  }
}

function historyEntry(event: EventLog, id: number): HistoryEvent {
  const timestamp = new Date(event.timestamp);
  if ('state' in event) {
    const state = event.state;
    const suffix = event.type.replace(/^State/, '');
    const type = suffix === 'Entered' || suffix === 'Exited' ? `${state.type}State${suffix}` : event.type;
    const detail = (
      suffix === 'Entered' ? state.input : suffix === 'Exited' ? (state.output ?? null) : null
    ) as Json;
    return { id, timestamp, type, stateName: state.name, detail };
  }
  return { id, timestamp, type: event.type };
}

function replaceDeep(value: Json, needle: string, replacement: string): Json {
  if (typeof value === 'string') return value === needle ? replacement : value;
  if (Array.isArray(value)) return value.map((item) => replaceDeep(item, needle, replacement));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, replaceDeep(v as Json, needle, replacement)]),
    );
  }
  return value;
}

function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new AwsServiceError('InvalidOutput', 'The value is not valid JSON');
  }
}

function str(value: unknown): string {
  if (typeof value !== 'string')
    throw new AwsServiceError('ValidationException', 'A required string parameter is missing');
  return value;
}

function optionalStr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
