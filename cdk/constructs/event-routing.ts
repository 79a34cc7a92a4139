/**
 * Event routing: one EventBridge rule per definition of `shared/infra/events`, each delivering to its target
 * function. An event is never dropped: EventBridge retries the delivery to the target, Lambda retries a
 * function that throws, and whatever still fails lands in the target function's dead-letter queue (one per
 * target function, shared by its rules).
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EventPattern, RuleDefinition } from '../../shared/infra/events.js';
import type { FunctionName } from '../../shared/infra/functions.js';
import { deadLetterOf, type QueueKey } from '../../shared/infra/queues.js';
import { pascalCase } from '../lib/naming.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import type { PaymentsFunction } from './payments-function.js';

/** EventBridge's own maxima: how long and how often it retries delivering to a rule target. */
const EVENT_TARGET_RETRY = { retryAttempts: 185, maxEventAge: Duration.hours(24) };
/** Lambda's maxima for asynchronous invocations: retries of a function that throws. */
const EVENT_FUNCTION_RETRY = { retryAttempts: 2, maxEventAge: Duration.hours(6) };

export interface EventRoutingProps {
  bus: events.EventBus;
  rules: readonly RuleDefinition[];
  functions: Readonly<Record<FunctionName, PaymentsFunction>>;
  /** The data key that encrypts the dead-letter queues. */
  key: kms.IKey;
}

export class EventRouting extends Construct {
  /** Per event target function: the events EventBridge could not deliver or the function kept failing on. */
  public readonly deadLetterQueues: Readonly<Partial<Record<FunctionName, sqs.Queue>>>;

  constructor(scope: Construct, id: string, props: EventRoutingProps) {
    super(scope, id);
    const deadLetters: Partial<Record<FunctionName, sqs.Queue>> = {};
    const deadLetterFor = (target: FunctionName): sqs.Queue => {
      const existing = deadLetters[target];
      if (existing) return existing;
      const queue = new DeadLetterQueue(this, `${pascalCase(target)}EventsDeadLetterQueue`, {
        key: props.key,
        retentionPeriod: Duration.days(14),
        holds: `dead-letter queue of the ${target} event target and its async invocations`,
      });
      props.functions[target].sendFailedEventsTo(queue, EVENT_FUNCTION_RETRY);
      deadLetters[target] = queue;
      return queue;
    };
    for (const rule of props.rules) {
      if (rule.queue !== undefined) continue; // a queue's rule lives with its queue: QueueRouting
      new events.Rule(this, `${pascalCase(rule.name)}Rule`, {
        eventBus: props.bus,
        description: rule.description,
        eventPattern: toCdkEventPattern(rule.pattern),
        targets: [
          new targets.LambdaFunction(props.functions[rule.target], {
            deadLetterQueue: deadLetterFor(rule.target),
            ...EVENT_TARGET_RETRY,
          }),
        ],
      });
    }
    this.deadLetterQueues = deadLetters;
  }
}

export interface QueueRoutingProps {
  bus: events.EventBus;
  rules: readonly RuleDefinition[];
  queues: Readonly<Record<QueueKey, sqs.Queue>>;
}

/**
 * The rules that send to a queue (`queue` in the definition), beside the bus and the queue in the stateful
 * stack: the queue's policy names the rule, so both live in one stack. What EventBridge cannot put on the
 * queue goes to the queue's own dead-letter queue (the data key lets rules of this bus write there).
 */
export class QueueRouting extends Construct {
  constructor(scope: Construct, id: string, props: QueueRoutingProps) {
    super(scope, id);
    for (const rule of props.rules) {
      if (rule.queue === undefined) continue;
      const deadLetter = deadLetterOf(rule.queue);
      const queue = props.queues[rule.queue];
      const deadLetterQueue = deadLetter === undefined ? undefined : props.queues[deadLetter.queue];
      const created = new events.Rule(this, `${pascalCase(rule.name)}Rule`, {
        eventBus: props.bus,
        description: rule.description,
        eventPattern: toCdkEventPattern(rule.pattern),
      });
      created.addTarget(queueTarget(created, queue, deadLetterQueue));
    }
  }
}

/**
 * A queue as a rule's target, its policy letting EventBridge send only on behalf of that rule. Not
 * `targets.SqsQueue`: for a queue encrypted with a customer-managed key it would let any rule send (no
 * `aws:SourceArn`) and grant EventBridge the key without a condition; the key's own policy already lets the
 * rules of this bus use it (stateful-stack.ts).
 */
function queueTarget(
  rule: events.Rule,
  queue: sqs.Queue,
  deadLetterQueue: sqs.Queue | undefined,
): events.IRuleTarget {
  return {
    bind: () => {
      queue.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('events.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [queue.queueArn],
          conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
        }),
      );
      if (deadLetterQueue !== undefined) targets.addToDeadLetterQueueResourcePolicy(rule, deadLetterQueue);
      return {
        arn: queue.queueArn,
        ...(deadLetterQueue === undefined ? {} : { deadLetterConfig: { arn: deadLetterQueue.queueArn } }),
        retryPolicy: {
          maximumRetryAttempts: EVENT_TARGET_RETRY.retryAttempts,
          maximumEventAgeInSeconds: EVENT_TARGET_RETRY.maxEventAge.toSeconds(),
        },
      };
    },
  };
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
