/**
 * Builds the CDK app: the stateful and the stateless stack, with cdk-nag's AwsSolutions checks registered as a
 * validation plugin. `bin/app.ts` runs it for the CLI; the infra tests build the very same app.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { RouteDefinition } from '../../shared/infra/routes.js';
import type { StateMachineDefinition } from '../../shared/infra/state-machines.js';
import { TweenPaymentsStateful } from './stateful-stack.js';
import { TweenPaymentsStateless } from './stateless-stack.js';

/** Defaults that cdk.json or `-c` may override. */
const APP_CONTEXT_DEFAULTS = {
  // Cross-stack references stay CloudFormation exports: the stateful stack refuses to drop one still in use.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  // S3 delivers server access logs by the log bucket's policy, not by ACLs (the KYC bucket's logs).
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

export interface BuildAppOptions {
  /** Context values; the CLI reads them from cdk.json and `-c`, tests pass them here. */
  context?: Record<string, unknown>;
  /** Replaces the route table (tests add routes the table does not have yet). */
  routes?: readonly RouteDefinition[];
  /** Replaces the state machine catalogue (tests synthesize fixture ASL files). */
  stateMachines?: Readonly<Record<string, StateMachineDefinition>>;
  /** CDK's built-in CloudFormation schema validation at synth (on unless turned off). */
  cloudFormationValidation?: boolean;
}

export interface TweenPaymentsApp {
  app: App;
  stateful: TweenPaymentsStateful;
  stateless: TweenPaymentsStateless;
}

export function buildApp(options: BuildAppOptions = {}): TweenPaymentsApp {
  const app = new App({
    context: { ...APP_CONTEXT_DEFAULTS, ...options.context },
    ...(options.cloudFormationValidation !== undefined && {
      builtinCloudFormationValidation: options.cloudFormationValidation,
    }),
  });
  const stateful = new TweenPaymentsStateful(app, 'TweenPaymentsStateful', {
    description: 'Tween Payments: table, key, queues, event bus (retained)',
  });
  const stateless = new TweenPaymentsStateless(app, 'TweenPaymentsStateless', {
    description: 'Tween Payments: functions, HTTP API, state machines, alarms',
    stateful,
    jwtIssuer: requiredContext(app, 'jwtIssuer'),
    jwtAudience: requiredContext(app, 'jwtAudience'),
    matrixHomeserverUrl: requiredContext(app, 'matrixHomeserverUrl'),
    mail: { identity: requiredContext(app, 'sesIdentity'), from: requiredContext(app, 'mailFrom') },
    ...(options.routes && { routes: options.routes }),
    ...(options.stateMachines && { stateMachines: options.stateMachines }),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, stateless };
}

function requiredContext(app: App, key: string): string {
  const value: unknown = app.node.tryGetContext(key);
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`Context value "${key}" is missing: set it in cdk.json or pass -c ${key}=...`);
  }
  return value;
}
