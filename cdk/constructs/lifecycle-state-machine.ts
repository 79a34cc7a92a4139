/**
 * One lifecycle state machine from its ASL file in the catalogue: `DefinitionBody.fromFile` plus one
 * substitution per placeholder, each with the grant its use needs, a vended-logs log group and X-Ray tracing.
 * State machines have fixed names, so functions can know an ARN before the machine exists.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { placeholdersOf, resolvePlaceholder } from '../../shared/infra/asl-placeholders.js';
import type { FunctionName } from '../../shared/infra/functions.js';
import type { StateMachineDefinition } from '../../shared/infra/state-machines.js';

/** The fixed name of the catalogue's state machine `name` in the stack of `scope`. */
export function lifecycleStateMachineName(scope: Construct, name: string): string {
  return `${Stack.of(scope).stackName}-${name}`;
}

/** The ARN of the catalogue's state machine `name`, known before the machine exists. */
export function lifecycleStateMachineArn(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: lifecycleStateMachineName(scope, name),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

export interface LifecycleStateMachineProps {
  /** Key of the state machine in the catalogue. */
  name: string;
  definition: StateMachineDefinition;
  /** Catalogue paths (ASL files) start here. */
  projectRoot: string;
  /** The functions a `${...FunctionArn}` placeholder may name. */
  functions: Readonly<Record<FunctionName, lambda.IFunction>>;
  /** The bus an `${EventBusName}` placeholder names. */
  bus: events.EventBus;
  logRetention: logs.RetentionDays;
}

export class LifecycleStateMachine extends Construct {
  public readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: LifecycleStateMachineProps) {
    super(scope, id);
    const file = path.join(props.projectRoot, props.definition.file);
    const invoked: lambda.IFunction[] = [];
    let putsEvents = false;
    const definitionSubstitutions: Record<string, string> = {};
    for (const placeholder of placeholdersOf(fs.readFileSync(file, 'utf8'))) {
      const resolved = resolvePlaceholder(placeholder);
      if (resolved.kind === 'functionArn') {
        const fn = props.functions[resolved.fn];
        definitionSubstitutions[placeholder] = fn.functionArn;
        invoked.push(fn);
      } else {
        definitionSubstitutions[placeholder] = props.bus.eventBusName;
        putsEvents = true;
      }
    }

    const logGroup = new logs.LogGroup(this, 'Logs', {
      // The vended-logs prefix keeps Step Functions from growing the account's log resource policy.
      logGroupName: `/aws/vendedlogs/states/${lifecycleStateMachineName(this, props.name)}`,
      retention: props.logRetention,
    });
    const machine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: lifecycleStateMachineName(this, props.name),
      definitionBody: sfn.DefinitionBody.fromFile(file),
      definitionSubstitutions,
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    // The ASL calls each function by its unqualified ARN: that ARN is all the machine may invoke.
    for (const fn of invoked) {
      iam.Grant.addToPrincipal({
        grantee: machine,
        actions: ['lambda:InvokeFunction'],
        resourceArns: [fn.functionArn],
      });
    }
    if (putsEvents) props.bus.grantPutEventsTo(machine);
    Validations.of(machine.role.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Log delivery (logs:*LogDelivery*, resource policies) and X-Ray tracing APIs have no resource scoping.',
    });
    this.stateMachine = machine;
  }
}
