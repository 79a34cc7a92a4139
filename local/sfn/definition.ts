/**
 * Adapts an ASL definition for aws-local-stepfunctions so that it behaves as it does on AWS:
 * - `TimeoutSecondsPath` is read from the state's input (the runner reads it after `Parameters`): the path
 *   is copied into `Parameters` under a reserved field, which the task handler strips again;
 * - a Task with no timeout never times out (the runner's default is 60 s);
 * - every Task state is listed, with its resource, so the runner can route it to a local handler.
 */
import { isRecord } from '../../shared/json.js';

export const TIMEOUT_FIELD = '__localTimeoutSeconds';
/** setTimeout's largest delay, in seconds: about 24.8 days, longer than any wait this service has. */
const NO_TIMEOUT_SECONDS = 2_147_483;

export interface TaskState {
  Type: 'Task';
  Resource: string;
  Parameters?: unknown;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  [field: string]: unknown;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, { Type: string; [field: string]: unknown }>;
  [field: string]: unknown;
}

export function prepareDefinition(definition: AslDefinition): {
  definition: AslDefinition;
  tasks: Map<string, TaskState>;
} {
  // A JSON copy, not structuredClone: the runner only treats objects of its own realm as plain objects.
  const copy = JSON.parse(JSON.stringify(definition)) as AslDefinition;
  const tasks = new Map<string, TaskState>();
  visit(copy, tasks);
  return { definition: copy, tasks };
}

function visit(machine: AslDefinition, tasks: Map<string, TaskState>): void {
  for (const [name, state] of Object.entries(machine.States)) {
    if (state.Type === 'Task') {
      const task = state as TaskState;
      if (tasks.has(name)) throw new Error(`Task state names must be unique for the local runner: ${name}`);
      bridgeTimeout(task);
      tasks.set(name, task);
    }
    for (const nested of nestedMachines(state)) visit(nested, tasks);
  }
}

function bridgeTimeout(task: TaskState): void {
  if (task.TimeoutSecondsPath !== undefined) {
    if (isRecord(task.Parameters)) {
      task.Parameters = { ...task.Parameters, [`${TIMEOUT_FIELD}.$`]: task.TimeoutSecondsPath };
      task.TimeoutSecondsPath = `$.${TIMEOUT_FIELD}`;
    }
  } else if (task.TimeoutSeconds === undefined) {
    task.TimeoutSeconds = NO_TIMEOUT_SECONDS;
  }
}

function nestedMachines(state: Record<string, unknown>): AslDefinition[] {
  const nested: AslDefinition[] = [];
  for (const field of ['Iterator', 'ItemProcessor']) {
    const machine = state[field];
    if (isRecord(machine)) nested.push(machine as unknown as AslDefinition);
  }
  if (Array.isArray(state.Branches)) nested.push(...(state.Branches as AslDefinition[]));
  return nested;
}
