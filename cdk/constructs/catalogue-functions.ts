/**
 * One `PaymentsFunction` per entry of the function catalogue, each with the resource-scoped grants its
 * catalogue capabilities name (and the variables naming those resources), nothing more.
 */
import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  type Capability,
  type FunctionName,
  functionDefinition,
  functionNames,
} from '../../shared/infra/functions.js';
import { type QueueKey, queueDefinition } from '../../shared/infra/queues.js';
import { stateMachines as stateMachineCatalogue } from '../../shared/infra/state-machines.js';
import {
  SUBSCRIPTION_SCHEDULE_ENV,
  SUBSCRIPTION_SCHEDULE_GROUP,
} from '../../shared/infra/subscription-functions.js';
import { pascalCase } from '../lib/naming.js';
import { bindKycBucket } from './kyc-bucket.js';
import { lifecycleStateMachineArn } from './lifecycle-state-machine.js';
import { bindPushPublish, bindPushRegister, bindSmsPublish } from './notification-grants.js';
import { PaymentsFunction } from './payments-function.js';
import { QueueSchedules } from './queue-schedules.js';
import { WebhookRetrySchedules } from './webhook-retry-schedules.js';

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

export interface CatalogueFunctionsProps {
  stateful: StatefulResources;
  /** Base URL of the Matrix homeserver the room publisher posts to. */
  matrixHomeserverUrl: string;
  /** Where onboarding emails come from: the SES identity (a verified domain or address) and the sender address. */
  mail: { identity: string; from: string };
  /** Catalogue paths (function entries) start here. */
  projectRoot: string;
  logRetention: logs.RetentionDays;
}

export class CatalogueFunctions extends Construct {
  public readonly functions: Readonly<Record<FunctionName, PaymentsFunction>>;
  private readonly props: CatalogueFunctionsProps;
  #retrySchedules: WebhookRetrySchedules | undefined;
  #stepSchedules: QueueSchedules | undefined;

  constructor(scope: Construct, id: string, props: CatalogueFunctionsProps) {
    super(scope, id);
    this.props = props;
    const entries = functionNames.map((name) => {
      const definition = functionDefinition(name);
      const fn = new PaymentsFunction(this, `${pascalCase(name)}Function`, {
        entry: path.join(props.projectRoot, definition.entry),
        handler: definition.handler,
        description: definition.description,
        timeout: Duration.seconds(definition.timeoutSeconds),
        memorySize: definition.memoryMb,
        projectRoot: props.projectRoot,
        logRetention: props.logRetention,
        ...(definition.assets === undefined ? {} : { assets: definition.assets }),
      });
      for (const capability of definition.capabilities) this.grantCapability(fn, capability);
      return [name, fn] as const;
    });
    this.functions = Object.fromEntries(entries) as Record<FunctionName, PaymentsFunction>;
  }

  /** The long webhook retries' schedule group and scheduler role, made for the first function that needs them. */
  private retrySchedules(): WebhookRetrySchedules {
    this.#retrySchedules ??= new WebhookRetrySchedules(this, 'WebhookRetrySchedules', {
      queue: this.props.stateful.queues.webhookDeliveries,
      key: this.props.stateful.key,
    });
    return this.#retrySchedules;
  }

  /** The subscription steps' schedule group and scheduler role, made for the first function that needs them. */
  private stepSchedules(): QueueSchedules {
    this.#stepSchedules ??= new QueueSchedules(this, 'SubscriptionStepSchedules', {
      queue: this.props.stateful.queues.subscriptionSteps,
      key: this.props.stateful.key,
      groupName: SUBSCRIPTION_SCHEDULE_GROUP,
      env: SUBSCRIPTION_SCHEDULE_ENV,
      roleDescription:
        'EventBridge Scheduler: sends a due subscription step (renewal, dunning retry) to its queue, nothing else',
      policyId: 'ScheduleSubscriptionSteps',
      wildcardReason:
        'Each subscription step is a one-time schedule named by the step, in this one group only.',
    });
    return this.#stepSchedules;
  }

  /** Each capability of the catalogue becomes one resource-scoped grant (and the variable naming the resource). */
  private grantCapability(fn: PaymentsFunction, capability: Capability): void {
    const { table, queues, bus, key, mfaKey, appSecrets, matrixToken } = this.props.stateful;
    const webhookQueueUrlEnv = queueDefinition('webhooks').urlEnv;
    const machineArn = (name: string) => lifecycleStateMachineArn(this, name);
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
        fn.bindMfaKey(mfaKey, 'encrypt');
        return;
      case 'mfaKey:decrypt':
        fn.bindMfaKey(mfaKey, 'decrypt');
        return;
      case 'appSecrets:read':
        fn.bindAppSecrets(appSecrets, key);
        return;
      case 'matrixToken:read':
        fn.bindMatrixHomeserver(this.props.matrixHomeserverUrl, matrixToken, key);
        return;
      case 'payments:start':
        fn.bindStateMachineStart(machineArn('payment'), stateMachineCatalogue.payment?.arnEnv ?? '');
        return;
      case 'payments:callback':
        fn.allowTaskCallbacks(machineArn('payment'), stateMachineCatalogue.payment?.arnEnv ?? '');
        return;
      case 'p2p:start':
        fn.bindStateMachineStart(machineArn('p2pTransfer'), stateMachineCatalogue.p2pTransfer?.arnEnv ?? '');
        return;
      case 'p2p:callback':
        fn.allowTaskCallbacks(machineArn('p2pTransfer'), stateMachineCatalogue.p2pTransfer?.arnEnv ?? '');
        return;
      case 'gifts:start':
        fn.bindStateMachineStart(machineArn('groupGift'), stateMachineCatalogue.groupGift?.arnEnv ?? '');
        return;
      case 'paymentIntentCapture:start':
        fn.bindStateMachineStart(
          machineArn('paymentIntentCapture'),
          stateMachineCatalogue.paymentIntentCapture?.arnEnv ?? '',
        );
        return;
      case 'kycBucket:readWrite':
        bindKycBucket(fn, key, 'readWrite');
        return;
      case 'kycBucket:read':
        bindKycBucket(fn, key, 'read');
        return;
      case 'onboarding:start':
        fn.bindStateMachineStart(
          machineArn('merchantOnboarding'),
          stateMachineCatalogue.merchantOnboarding?.arnEnv ?? '',
        );
        return;
      case 'onboarding:callback':
        fn.allowTaskCallbacks(
          machineArn('merchantOnboarding'),
          stateMachineCatalogue.merchantOnboarding?.arnEnv ?? '',
        );
        return;
      case 'payouts:start':
        fn.bindStateMachineStart(machineArn('payout'), stateMachineCatalogue.payout?.arnEnv ?? '');
        return;
      case 'payouts:callback':
        fn.allowTaskCallbacks(machineArn('payout'), stateMachineCatalogue.payout?.arnEnv ?? '');
        return;
      case 'mail:send': {
        const { identity, from } = this.props.mail;
        fn.bindMailer(
          Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
          from,
        );
        return;
      }
      case 'webhookDeliveries:send':
        fn.bindQueue(queues.webhookDeliveries, queueDefinition('webhookDeliveries').urlEnv, 'send');
        return;
      case 'webhookRetries:schedule':
        this.retrySchedules().grantScheduling(fn);
        return;
      case 'subscriptionSteps:send':
        fn.bindQueue(queues.subscriptionSteps, queueDefinition('subscriptionSteps').urlEnv, 'send');
        return;
      case 'subscriptionSteps:schedule':
        this.stepSchedules().grantScheduling(fn);
        return;
      case 'sms:publish':
        bindSmsPublish(fn);
        return;
      case 'push:publish':
        bindPushPublish(fn);
        return;
      case 'push:register':
        bindPushRegister(fn);
        return;
      default: {
        const unknown: never = capability;
        throw new Error(`No grant for capability ${String(unknown)}`);
      }
    }
  }
}
