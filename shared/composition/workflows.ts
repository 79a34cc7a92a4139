/**
 * The lifecycles' state machines: one StepFunctionsWorkflows per machine of the catalogue, built once per
 * cold start, its ARN read from the variable the catalogue names for it (`arnEnv`, the one CDK and the local
 * stack set), so no function spells that variable itself.
 */
import { stepFunctions } from '../adapters/aws/sfn-client.js';
import { StepFunctionsWorkflows } from '../adapters/stepfunctions/workflows.js';
import { readSetting } from '../config.js';
import { type StateMachineName, stateMachines } from '../infra/state-machines.js';

const built = new Map<StateMachineName, StepFunctionsWorkflows>();

/** Starts and resumes executions of the named state machine; throws naming its variable when unset. */
export function workflows(name: StateMachineName): StepFunctionsWorkflows {
  let machine = built.get(name);
  if (machine === undefined) {
    machine = new StepFunctionsWorkflows(stepFunctions(), readSetting(stateMachines[name].arnEnv));
    built.set(name, machine);
  }
  return machine;
}
