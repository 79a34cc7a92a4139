/**
 * What a deployment replaces freely: the functions (one per catalogue entry), the HTTP API (one route per route
 * table entry), the state machines (one per ASL file in the catalogue), the event rules, the queue and table
 * stream consumers and the alarms. Everything is generated from `shared/infra`; nothing here restates a fact
 * from there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { type EventPattern, rules } from '../../shared/infra/events.js';
import {
  type Capability,
  type FunctionName,
  functionDefinition,
  functionNames,
} from '../../shared/infra/functions.js';
import { deadLetterOf, type QueueKey, queueDefinition, queueKeys } from '../../shared/infra/queues.js';
import { type RouteDefinition, routeKey, routes } from '../../shared/infra/routes.js';
import {
  placeholdersOf,
  resolvePlaceholder,
  type StateMachineDefinition,
  stateMachines as stateMachineCatalogue,
} from '../../shared/infra/state-machines.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { PaymentsFunction } from '../constructs/payments-function.js';
import { pascalCase } from './naming.js';
import { repoRoot } from './repo-root.js';

/** The stateful resources the stateless stack works with. */
export interface StatefulResources {
  key: kms.Key;
  mfaKey: kms.Key;
  table: dynamodb.Table;
  queues: Readonly<Record<QueueKey, sqs.Queue>>;
  bus: events.EventBus;
  appSecrets: secretsmanager.Secret;
  matrixToken: secretsmanager.Secret;
}

export interface TweenPaymentsStatelessProps extends StackProps {
  stateful: StatefulResources;
  /** Issuer (`iss`) the JWT authorizer accepts. */
  jwtIssuer: string;
  /** Audience (`aud`) the JWT authorizer accepts. */
  jwtAudience: string;
  /** Base URL of the Matrix homeserver the room publisher posts to. */
  matrixHomeserverUrl: string;
  /** Replaces the route table, so tests can synthesize routes the table does not have yet. */
  routes?: readonly RouteDefinition[];
  /** Replaces the state machine catalogue, so tests can synthesize fixture ASL files. */
  stateMachines?: Readonly<Record<string, StateMachineDefinition>>;
}

const API_THROTTLE = { burstLimit: 200, rateLimit: 100 };
const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;
/** EventBridge's own maxima: how long and how often it retries delivering to a rule target. */
const EVENT_TARGET_RETRY = { retryAttempts: 185, maxEventAge: Duration.hours(24) };
/** Lambda's maxima for asynchronous invocations: retries of a function that throws. */
const EVENT_FUNCTION_RETRY = { retryAttempts: 2, maxEventAge: Duration.hours(6) };

export class TweenPaymentsStateless extends Stack {
  public readonly functions: Readonly<Record<FunctionName, PaymentsFunction>>;
  public readonly api: apigw.HttpApi;
  public readonly stage: apigw.HttpStage;
  public readonly stateMachines: Readonly<Record<string, sfn.StateMachine>>;
  public readonly alarmTopic: sns.Topic;
  /** Per event target function: the events EventBridge could not deliver or the function kept failing on. */
  public readonly eventDeadLetterQueues: Readonly<Partial<Record<FunctionName, sqs.Queue>>>;
  /** The table stream batches the outbox relay kept failing on (the mapping's on-failure destination). */
  public readonly streamDeadLetterQueue: sqs.Queue;
  /** Reconciliation runs the scheduler could not deliver, or that kept failing (records left unsettled). */
  public readonly reconcileDeadLetterQueue: sqs.Queue;

  private readonly stateful: StatefulResources;
  private readonly matrixHomeserverUrl: string;
  /** Catalogue paths (function entries, ASL files) start here. */
  private readonly projectRoot = repoRoot;

  constructor(scope: Construct, id: string, props: TweenPaymentsStatelessProps) {
    super(scope, id, props);
    this.stateful = props.stateful;
    this.matrixHomeserverUrl = props.matrixHomeserverUrl;

    this.functions = this.createFunctions();
    this.connectQueueConsumers();
    this.streamDeadLetterQueue = this.connectTableStream();
    this.eventDeadLetterQueues = this.createEventRules();
    this.reconcileDeadLetterQueue = this.createReconcileSchedule();
    this.stateMachines = this.createStateMachines(props.stateMachines ?? stateMachineCatalogue);
    [this.api, this.stage] = this.createApi(props.routes ?? routes, props.jwtIssuer, props.jwtAudience);

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Tween Payments alarms',
      masterKey: props.stateful.key,
      enforceSSL: true,
    });
    this.createAlarms();

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the HTTP API' });
  }

  private createFunctions(): Record<FunctionName, PaymentsFunction> {
    const entries = functionNames.map((name) => {
      const definition = functionDefinition(name);
      const fn = new PaymentsFunction(this, `${pascalCase(name)}Function`, {
        entry: path.join(this.projectRoot, definition.entry),
        handler: definition.handler,
        description: definition.description,
        timeout: Duration.seconds(definition.timeoutSeconds),
        memorySize: definition.memoryMb,
        projectRoot: this.projectRoot,
        logRetention: LOG_RETENTION,
        ...(definition.assets === undefined ? {} : { assets: definition.assets }),
      });
      for (const capability of definition.capabilities) this.grantCapability(fn, capability);
      return [name, fn] as const;
    });
    return Object.fromEntries(entries) as Record<FunctionName, PaymentsFunction>;
  }

  /** Each capability of the catalogue becomes one resource-scoped grant (and the variable naming the resource). */
  private grantCapability(fn: PaymentsFunction, capability: Capability): void {
    const { table, queues, bus, key, appSecrets, matrixToken } = this.stateful;
    const webhookQueueUrlEnv = queueDefinition('webhooks').urlEnv;
    switch (capability) {
      case 'table:describe':
        fn.bindTable(table, 'describe');
        return;
      case 'table:read':
        fn.bindTable(table, 'read');
        return;
      case 'table:write':
        fn.bindTable(table, 'readWrite');
        return;
      case 'webhookQueue:describe':
        fn.bindQueue(queues.webhooks, webhookQueueUrlEnv, 'describe');
        return;
      case 'webhookQueue:send':
        fn.bindQueue(queues.webhooks, webhookQueueUrlEnv, 'send');
        return;
      case 'bus:describe':
        fn.bindBus(bus, 'describe');
        return;
      case 'bus:put':
        fn.bindBus(bus, 'put');
        return;
      case 'states:list':
        fn.allowListingStateMachines();
        return;
      case 'key:describe':
        fn.bindKey(key, 'describe');
        return;
      case 'key:encrypt':
        fn.bindKey(key, 'encrypt');
        return;
      case 'key:decrypt':
        fn.bindKey(key, 'decrypt');
        return;
      case 'mfaKey:encrypt':
        fn.bindMfaKey(this.stateful.mfaKey, 'encrypt');
        return;
      case 'mfaKey:decrypt':
        fn.bindMfaKey(this.stateful.mfaKey, 'decrypt');
        return;
      case 'appSecrets:read':
        fn.bindAppSecrets(appSecrets, key);
        return;
      case 'matrixToken:read':
        fn.bindMatrixHomeserver(this.matrixHomeserverUrl, matrixToken, key);
        return;
      case 'payments:start':
        fn.bindStateMachineStart(
          this.stateMachineArnOf('payment'),
          stateMachineCatalogue.payment?.arnEnv ?? '',
        );
        return;
      case 'payments:callback':
        fn.allowTaskCallbacks(this.stateMachineArnOf('payment'), stateMachineCatalogue.payment?.arnEnv ?? '');
        return;
      case 'p2p:start':
        fn.bindStateMachineStart(
          this.stateMachineArnOf('p2pTransfer'),
          stateMachineCatalogue.p2pTransfer?.arnEnv ?? '',
        );
        return;
      case 'p2p:callback':
        fn.allowTaskCallbacks(
          this.stateMachineArnOf('p2pTransfer'),
          stateMachineCatalogue.p2pTransfer?.arnEnv ?? '',
        );
        return;
      case 'gifts:start':
        fn.bindStateMachineStart(
          this.stateMachineArnOf('groupGift'),
          stateMachineCatalogue.groupGift?.arnEnv ?? '',
        );
        return;
      default: {
        const unknown: never = capability;
        throw new Error(`No grant for capability ${String(unknown)}`);
      }
    }
  }

  /** A queue with a consumer gets an event source mapping that reports partial batch failures. */
  private connectQueueConsumers(): void {
    for (const key of queueKeys) {
      const consumer = queueDefinition(key).consumer;
      if (!consumer) continue;
      this.functions[consumer.fn].addEventSource(
        new SqsEventSource(this.stateful.queues[key], {
          batchSize: consumer.batchSize,
          reportBatchItemFailures: consumer.reportBatchItemFailures,
        }),
      );
    }
  }

  /**
   * The table stream's consumer (the outbox relay): only the records its filter matches reach the function; a
   * record it reports failed is retried from there (the records before it are checkpointed), in a batch halved
   * at each failure, and after the bounded retries its batch is reported to a dead-letter queue with an alarm.
   * Binding the event source grants the function read access to the stream (and decrypt on the table's key).
   */
  private connectTableStream(): sqs.Queue {
    const consumer = tableDefinition.streamConsumer;
    const deadLetterQueue = new sqs.Queue(this, `${pascalCase(consumer.fn)}StreamDeadLetterQueue`, {
      retentionPeriod: Duration.seconds(consumer.deadLetterQueue.retentionSeconds),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.stateful.key,
      enforceSSL: true,
      // The reports outlive the stack: ops read the failed records back (stream or outbox item) after a fix.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the on-failure destination of the ${consumer.fn} table stream mapping.`,
    });
    const fn = this.functions[consumer.fn];
    fn.addEventSource(
      // Table's optional tableStreamArn vs ITable's under exactOptionalPropertyTypes: the same object.
      new DynamoEventSource(this.stateful.table as dynamodb.ITable, {
        startingPosition: lambda.StartingPosition[consumer.startingPosition],
        batchSize: consumer.batchSize,
        maxBatchingWindow: Duration.seconds(consumer.maxBatchingWindowSeconds),
        filters: [lambda.FilterCriteria.filter(consumer.filter)],
        reportBatchItemFailures: consumer.reportBatchItemFailures,
        bisectBatchOnError: consumer.bisectBatchOnError,
        retryAttempts: consumer.retryAttempts,
        maxRecordAge: Duration.seconds(consumer.maxRecordAgeSeconds),
        onFailure: new SqsDlq(deadLetterQueue),
      }),
    );
    // SqsDlq grants the function sending to the encrypted queue, which brings the key's data-key variants.
    const policy = fn.role?.node.tryFindChild('DefaultPolicy');
    if (policy === undefined) throw new Error(`${consumer.fn} has no default policy to acknowledge`);
    for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          'Envelope encryption with the one customer-managed key needs every data-key and re-encrypt variant.',
      });
    }
    return deadLetterQueue;
  }

  /**
   * One rule per definition. An event is never dropped: EventBridge retries the delivery to the target, Lambda
   * retries a function that throws, and whatever still fails lands in the target function's dead-letter queue
   * (one per target function, shared by its rules), which has an alarm.
   */
  private createEventRules(): Partial<Record<FunctionName, sqs.Queue>> {
    const deadLetters: Partial<Record<FunctionName, sqs.Queue>> = {};
    const deadLetterFor = (target: FunctionName): sqs.Queue => {
      const existing = deadLetters[target];
      if (existing) return existing;
      const queue = new sqs.Queue(this, `${pascalCase(target)}EventsDeadLetterQueue`, {
        retentionPeriod: Duration.days(14),
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.stateful.key,
        enforceSSL: true,
        // Undelivered events outlive the stack: ops redrive them after a fix.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(queue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `This queue is itself the dead-letter queue of the ${target} event target and its async invocations.`,
      });
      this.functions[target].sendFailedEventsTo(queue, EVENT_FUNCTION_RETRY);
      deadLetters[target] = queue;
      return queue;
    };
    for (const rule of rules) {
      new events.Rule(this, `${pascalCase(rule.name)}Rule`, {
        eventBus: this.stateful.bus,
        description: rule.description,
        eventPattern: toCdkEventPattern(rule.pattern),
        targets: [
          new targets.LambdaFunction(this.functions[rule.target], {
            deadLetterQueue: deadLetterFor(rule.target),
            ...EVENT_TARGET_RETRY,
          }),
        ],
      });
    }
    return deadLetters;
  }

  /**
   * The reconciliation job, every 5 minutes (EventBridge Scheduler). The scheduler invokes asynchronously: its
   * own retries cover a delivery that fails, Lambda's cover a run that throws (a record left unsettled), and
   * both end in one dead-letter queue, which has an alarm. A missed run costs nothing: the next one catches up.
   */
  private createReconcileSchedule(): sqs.Queue {
    const fn = this.functions.reconciler;
    const deadLetterQueue = new sqs.Queue(this, 'ReconcilerDeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.stateful.key,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the reconciliation schedule and its runs.',
    });
    fn.sendFailedEventsTo(deadLetterQueue, { retryAttempts: 2, maxEventAge: Duration.minutes(15) });
    const role = new iam.Role(this, 'ReconcileScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'EventBridge Scheduler: invokes the reconciler, dead-letters what it cannot deliver',
    });
    // The dead-letter queue is encrypted with the customer-managed key: sending needs a data key.
    this.stateful.key.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    new scheduler.Schedule(this, 'ReconcileSchedule', {
      description: 'Reconciliation: top-ups and card payments waiting on the provider for too long',
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(5)),
      target: new schedulerTargets.LambdaInvoke(fn, {
        role,
        input: scheduler.ScheduleTargetInput.fromObject({}),
        deadLetterQueue,
        retryAttempts: 3,
        // A run older than the period is superseded by the next one.
        maxEventAge: Duration.minutes(5),
      }),
    });
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy === undefined)
      throw new Error('The reconcile schedule role has no default policy to acknowledge');
    const functionId = this.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason: "Lambda's invoke grant covers the reconciler's own versions and aliases, and nothing else.",
    });
    return deadLetterQueue;
  }

  /** State machines have fixed names, so functions can know an ARN before the machine exists. */
  private stateMachineNameOf(name: string): string {
    return `${this.stackName}-${name}`;
  }

  private stateMachineArnOf(name: string): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: this.stateMachineNameOf(name),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  private createStateMachines(
    catalogue: Readonly<Record<string, StateMachineDefinition>>,
  ): Record<string, sfn.StateMachine> {
    const machines: Record<string, sfn.StateMachine> = {};
    for (const [name, definition] of Object.entries(catalogue)) {
      machines[name] = this.createStateMachine(name, definition);
    }
    return machines;
  }

  /** `DefinitionBody.fromFile` + one substitution per placeholder, each with the grant its use needs. */
  private createStateMachine(name: string, definition: StateMachineDefinition): sfn.StateMachine {
    const id = `${pascalCase(name)}StateMachine`;
    const file = path.join(this.projectRoot, definition.file);
    const placeholders = placeholdersOf(fs.readFileSync(file, 'utf8'));
    const invoked: PaymentsFunction[] = [];
    let putsEvents = false;
    const definitionSubstitutions: Record<string, string> = {};
    for (const placeholder of placeholders) {
      const resolved = resolvePlaceholder(placeholder);
      if (resolved.kind === 'functionArn') {
        const fn = this.functions[resolved.fn];
        definitionSubstitutions[placeholder] = fn.functionArn;
        invoked.push(fn);
      } else {
        definitionSubstitutions[placeholder] = this.stateful.bus.eventBusName;
        putsEvents = true;
      }
    }

    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      // The vended-logs prefix keeps Step Functions from growing the account's log resource policy.
      logGroupName: `/aws/vendedlogs/states/${this.stackName}-${name}`,
      retention: LOG_RETENTION,
    });
    const machine = new sfn.StateMachine(this, id, {
      stateMachineName: this.stateMachineNameOf(name),
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
    if (putsEvents) this.stateful.bus.grantPutEventsTo(machine);
    Validations.of(machine.role.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Log delivery (logs:*LogDelivery*, resource policies) and X-Ray tracing APIs have no resource scoping.',
    });
    return machine;
  }

  private createApi(
    routeTable: readonly RouteDefinition[],
    jwtIssuer: string,
    jwtAudience: string,
  ): [apigw.HttpApi, apigw.HttpStage] {
    const api = new apigw.HttpApi(this, 'Api', {
      apiName: 'tween-payments',
      description: 'Tween Payments HTTP API',
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: LOG_RETENTION });
    const stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    const jwtAuthorizer = new HttpJwtAuthorizer('JwtAuthorizer', jwtIssuer, {
      jwtAudience: [jwtAudience],
      identitySource: ['$request.header.Authorization'],
    });
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationFor = (fn: FunctionName): HttpLambdaIntegration => {
      const existing = integrations.get(fn);
      if (existing) return existing;
      const integration = new HttpLambdaIntegration(`${pascalCase(fn)}Integration`, this.functions[fn]);
      integrations.set(fn, integration);
      return integration;
    };

    const routeSettings: Record<string, { ThrottlingBurstLimit: number; ThrottlingRateLimit: number }> = {};
    for (const route of routeTable) {
      const [created] = api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: integrationFor(route.fn),
        authorizer: route.auth === 'jwt' ? jwtAuthorizer : new apigw.HttpNoneAuthorizer(),
      });
      if (created && route.auth !== 'jwt') {
        Validations.of(created).acknowledge({ id: 'AwsSolutions-APIG4', reason: publicRouteReason(route) });
      }
      if (created && route.throttle) {
        routeSettings[routeKey(route)] = {
          ThrottlingBurstLimit: route.throttle.burstLimit,
          ThrottlingRateLimit: route.throttle.rateLimit,
        };
        // Route settings name the route by its key: it must exist before the stage refers to it.
        stage.node.addDependency(created);
      }
    }
    // The HttpStage construct has no per-route throttling; the stage resource does.
    if (Object.keys(routeSettings).length > 0) {
      (stage.node.defaultChild as apigw.CfnStage).routeSettings = routeSettings;
    }
    return [api, stage];
  }

  private createAlarms(): void {
    const action = new cloudwatchActions.SnsAction(this.alarmTopic);
    const alarm = (id: string, props: cloudwatch.AlarmProps): void => {
      new cloudwatch.Alarm(this, id, props).addAlarmAction(action);
    };
    const anyAtAll = {
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };

    const deadLetterKeys = new Set(
      queueKeys.flatMap((key) => {
        const deadLetter = deadLetterOf(key);
        return deadLetter ? [deadLetter.queue] : [];
      }),
    );
    for (const key of deadLetterKeys) {
      alarm(`${pascalCase(key)}DepthAlarm`, {
        ...anyAtAll,
        alarmDescription: `Messages are waiting in the dead-letter queue ${queueDefinition(key).name}`,
        metric: this.stateful.queues[key].metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
      });
    }
    for (const [target, queue] of Object.entries(this.eventDeadLetterQueues)) {
      alarm(`${pascalCase(target)}EventsDeadLetterAlarm`, {
        ...anyAtAll,
        alarmDescription: `Events for ${target} were not delivered or kept failing; they wait in its dead-letter queue`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
      });
    }
    const streamConsumer = tableDefinition.streamConsumer.fn;
    alarm(`${pascalCase(streamConsumer)}StreamDeadLetterAlarm`, {
      ...anyAtAll,
      alarmDescription: `Table stream records kept failing in ${streamConsumer}; their batches wait in its dead-letter queue`,
      metric: this.streamDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
    });
    alarm('ReconcilerDeadLetterAlarm', {
      ...anyAtAll,
      alarmDescription:
        'Reconciliation runs were not delivered or left records unsettled; they wait in its dead-letter queue',
      metric: this.reconcileDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
    });
    for (const [name, machine] of Object.entries(this.stateMachines)) {
      alarm(`${pascalCase(name)}ExecutionsFailedAlarm`, {
        ...anyAtAll,
        alarmDescription: `Executions of the ${name} state machine failed`,
        metric: machine.metricFailed({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      });
    }
    alarm('Api5xxAlarm', {
      ...anyAtAll,
      alarmDescription: 'The HTTP API answered with a 5xx',
      metric: this.api.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
    });
  }
}

function publicRouteReason(route: RouteDefinition): string {
  return route.auth === 'webhook'
    ? `${routeKey(route)} is a provider webhook: the handler verifies the provider's signature instead.`
    : `${routeKey(route)} is public by design (health probe or API document) and returns no user data.`;
}

/**
 * The shared patterns are EventBridge's own JSON (with `{prefix}`, `{exists}` ... operators); CDK renders a
 * pattern key by key and only renames `detailType`, so the JSON passes through unchanged.
 */
function toCdkEventPattern(pattern: EventPattern): events.EventPattern {
  const entries = Object.entries(pattern).map(([key, value]) => [
    key === 'detail-type' ? 'detailType' : key,
    value,
  ]);
  return Object.fromEntries(entries) as events.EventPattern;
}
