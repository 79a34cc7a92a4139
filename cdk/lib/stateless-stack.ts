/**
 * What a deployment replaces freely: the functions (one per catalogue entry), the queue and table stream
 * consumers, the event routing, the reconciliation schedule, the state machines (one per ASL file in the
 * catalogue), the HTTP API (one route per route table entry) and the alarms. Each concern is a construct of
 * `cdk/constructs`, generated from `shared/infra`; this stack only composes them.
 */
import { CfnOutput, Duration, type NestedStack, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { rules } from '../../shared/infra/events.js';
import type { FunctionName } from '../../shared/infra/functions.js';
import { deadLetterOf, queueDefinition, queueKeys } from '../../shared/infra/queues.js';
import { type RouteDefinition, routes } from '../../shared/infra/routes.js';
import {
  type StateMachineDefinition,
  stateMachines as stateMachineCatalogue,
} from '../../shared/infra/state-machines.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { ServiceAlarms } from '../constructs/alarms.js';
import { CatalogueFunctions, type StatefulResources } from '../constructs/catalogue-functions.js';
import { connectQueueConsumers, TableStreamConsumer } from '../constructs/consumers.js';
import { EventRouting } from '../constructs/event-routing.js';
import { LifecycleStateMachine } from '../constructs/lifecycle-state-machine.js';
import type { PaymentsFunction } from '../constructs/payments-function.js';
import { RoutedHttpApi, type RouteGroup } from '../constructs/routed-http-api.js';
import { ScheduledJob } from '../constructs/scheduled-job.js';
import { pascalCase } from './naming.js';
import { repoRoot } from './repo-root.js';

export type { StatefulResources } from '../constructs/catalogue-functions.js';

export interface TweenPaymentsStatelessProps extends StackProps {
  stateful: StatefulResources;
  /** Issuer (`iss`) the JWT authorizer accepts. */
  jwtIssuer: string;
  /** Audience (`aud`) the JWT authorizer accepts. */
  jwtAudience: string;
  /** Base URL of the Matrix homeserver the room publisher posts to. */
  matrixHomeserverUrl: string;
  /** Where onboarding emails come from: the SES identity (verified domain or address) and the sender address. */
  mail: { identity: string; from: string };
  /** Replaces the route table, so tests can synthesize routes the table does not have yet. */
  routes?: readonly RouteDefinition[];
  /** Replaces the state machine catalogue, so tests can synthesize fixture ASL files. */
  stateMachines?: Readonly<Record<string, StateMachineDefinition>>;
  /** How often settlement runs (SETTLEMENT_PERIOD_SECONDS; 3600 unless given). */
  settlementPeriodSeconds?: number;
}

const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

export class TweenPaymentsStateless extends Stack {
  public readonly functions: Readonly<Record<FunctionName, PaymentsFunction>>;
  public readonly api: apigw.HttpApi;
  public readonly stage: apigw.HttpStage;
  /** The nested stacks that hold the HTTP API's routes, integrations and invoke permissions. */
  public readonly apiRouteStacks: Readonly<Record<RouteGroup, NestedStack>>;
  public readonly stateMachines: Readonly<Record<string, sfn.StateMachine>>;
  public readonly alarmTopic: sns.Topic;
  /** Per event target function: the events EventBridge could not deliver or the function kept failing on. */
  public readonly eventDeadLetterQueues: Readonly<Partial<Record<FunctionName, sqs.Queue>>>;
  /** The table stream batches the outbox relay kept failing on (the mapping's on-failure destination). */
  public readonly streamDeadLetterQueue: sqs.Queue;
  /** Reconciliation runs the scheduler could not deliver, or that kept failing (records left unsettled). */
  public readonly reconcileDeadLetterQueue: sqs.Queue;
  /** Settlement runs the scheduler could not deliver, or that threw (due balances left pending). */
  public readonly settlementDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: TweenPaymentsStatelessProps) {
    super(scope, id, props);
    const { stateful } = props;
    const { key, bus } = stateful;
    // Catalogue paths (function entries, ASL files) start at the repository root.
    const projectRoot = repoRoot;

    const functions = new CatalogueFunctions(this, 'Functions', {
      stateful,
      matrixHomeserverUrl: props.matrixHomeserverUrl,
      mail: props.mail,
      projectRoot,
      logRetention: LOG_RETENTION,
    }).functions;
    this.functions = functions;

    connectQueueConsumers(functions, stateful.queues);
    this.streamDeadLetterQueue = new TableStreamConsumer(this, 'TableStream', {
      table: stateful.table,
      key,
      functions,
    }).deadLetterQueue;
    this.eventDeadLetterQueues = new EventRouting(this, 'EventRouting', {
      bus,
      rules,
      functions,
      key,
    }).deadLetterQueues;
    // The reconciliation job, every 5 minutes; a missed run costs nothing: the next one catches up.
    this.reconcileDeadLetterQueue = new ScheduledJob(this, 'ReconcileSchedule', {
      name: 'reconciler',
      fn: functions.reconciler,
      period: Duration.minutes(5),
      description: 'Reconciliation: top-ups and card payments waiting on the provider for too long',
      deadLetterHolds: 'dead-letter queue of the reconciliation schedule and its runs',
      key,
      deliveryRetryAttempts: 3,
      runRetry: { retryAttempts: 2, maxEventAge: Duration.minutes(15) },
    }).deadLetterQueue;
    // Settlement: due pending balance transactions become available; each moves once, a missed run catches up.
    const settlementPeriod = Duration.seconds(props.settlementPeriodSeconds ?? 3600);
    this.settlementDeadLetterQueue = new ScheduledJob(this, 'SettlementSchedule', {
      name: 'settlement job',
      fn: functions.settlement,
      period: settlementPeriod,
      description: "Settlement: merchants' pending balance transactions that are due become available",
      deadLetterHolds: 'dead-letter queue of the settlement schedule and its runs',
      key,
      deliveryRetryAttempts: 3,
      runRetry: { retryAttempts: 2, maxEventAge: settlementPeriod },
    }).deadLetterQueue;

    const catalogue = props.stateMachines ?? stateMachineCatalogue;
    this.stateMachines = Object.fromEntries(
      Object.entries(catalogue).map(([name, definition]) => {
        const machine = new LifecycleStateMachine(this, `${pascalCase(name)}StateMachine`, {
          name,
          definition,
          projectRoot,
          functions,
          bus,
          logRetention: LOG_RETENTION,
        });
        return [name, machine.stateMachine];
      }),
    );

    const http = new RoutedHttpApi(this, 'Api', {
      routes: props.routes ?? routes,
      functions,
      jwtIssuer: props.jwtIssuer,
      jwtAudience: props.jwtAudience,
      logRetention: LOG_RETENTION,
    });
    this.api = http.api;
    this.stage = http.stage;
    this.apiRouteStacks = http.routeStacks;

    const alarms = new ServiceAlarms(this, 'Alarms', { key });
    this.alarmTopic = alarms.topic;
    this.watch(alarms, stateful.queues);

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the HTTP API' });
  }

  /** One alarm per dead-letter queue, per state machine and for the API's 5xx answers. */
  private watch(alarms: ServiceAlarms, queues: StatefulResources['queues']): void {
    const catalogueDeadLetters = new Set(queueKeys.flatMap((key) => deadLetterOf(key)?.queue ?? []));
    for (const key of catalogueDeadLetters) {
      alarms.onMessagesWaiting(
        `${pascalCase(key)}DepthAlarm`,
        queues[key],
        `Messages are waiting in the dead-letter queue ${queueDefinition(key).name}`,
      );
    }
    for (const [target, queue] of Object.entries(this.eventDeadLetterQueues)) {
      alarms.onMessagesWaiting(
        `${pascalCase(target)}EventsDeadLetterAlarm`,
        queue,
        `Events for ${target} were not delivered or kept failing; they wait in its dead-letter queue`,
      );
    }
    const streamConsumer = tableDefinition.streamConsumer.fn;
    alarms.onMessagesWaiting(
      `${pascalCase(streamConsumer)}StreamDeadLetterAlarm`,
      this.streamDeadLetterQueue,
      `Table stream records kept failing in ${streamConsumer}; their batches wait in its dead-letter queue`,
    );
    alarms.onMessagesWaiting(
      'ReconcilerDeadLetterAlarm',
      this.reconcileDeadLetterQueue,
      'Reconciliation runs were not delivered or left records unsettled; they wait in its dead-letter queue',
    );
    alarms.onMessagesWaiting(
      'SettlementDeadLetterAlarm',
      this.settlementDeadLetterQueue,
      'Settlement runs were not delivered or failed; due balances wait pending, the runs in its dead-letter queue',
    );
    for (const [name, machine] of Object.entries(this.stateMachines)) {
      alarms.onExecutionsFailed(
        `${pascalCase(name)}ExecutionsFailedAlarm`,
        machine,
        `Executions of the ${name} state machine failed`,
      );
    }
    alarms.onServerErrors('Api5xxAlarm', this.api, 'The HTTP API answered with a 5xx');
  }
}
