/**
 * What outlives a deployment: the customer-managed key, the single table (with its stream), the queues and the
 * event bus with its archive. Every resource here is retained when the stack goes away. Shapes come from
 * `shared/infra`, the modules the local stack reads too.
 */
import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { matrixTokenSecretDefinition } from '../../shared/adapters/matrix/settings.js';
import { eventBusDefinition, rules } from '../../shared/infra/events.js';
import { appSecretsDefinition, mfaKeyContext } from '../../shared/infra/keys.js';
import { deadLetterOf, type QueueKey, queueDefinition, queueKeys } from '../../shared/infra/queues.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { DeadLetterQueue } from '../constructs/dead-letter-queue.js';
import { QueueRouting } from '../constructs/event-routing.js';
import { InvoiceBucket } from '../constructs/invoice-bucket.js';
import { KycBucket } from '../constructs/kyc-bucket.js';
import { pascalCase } from './naming.js';

export class TweenPaymentsStateful extends Stack {
  public readonly key: kms.Key;
  /** MFA secrets (TOTP seeds) only: a key of their own, usable only with a user's encryption context. */
  public readonly mfaKey: kms.Key;
  public readonly table: dynamodb.Table;
  public readonly queues: Readonly<Record<QueueKey, sqs.Queue>>;
  public readonly bus: events.EventBus;
  public readonly archive: events.Archive;
  public readonly appSecrets: secretsmanager.Secret;
  public readonly matrixToken: secretsmanager.Secret;
  /** Merchants' KYC documents (constructs/kyc-bucket.ts). */
  public readonly kycBucket: s3.Bucket;
  public readonly invoiceBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.key = new kms.Key(this, 'Key', {
      description: 'Tween Payments data key: table, queues, alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the alarm topic, which this key encrypts.
    this.key.grants.actions(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );

    this.mfaKey = this.createMfaKey();
    this.table = this.createTable();
    this.queues = this.createQueues();
    this.appSecrets = this.createAppSecrets();
    this.matrixToken = this.createMatrixToken();
    const kyc = new KycBucket(this, 'Kyc', { key: this.key });
    this.kycBucket = kyc.bucket;
    this.invoiceBucket = new InvoiceBucket(this, 'Invoices', {
      key: this.key,
      accessLogs: kyc.accessLogs as s3.IBucket,
    }).bucket;

    this.bus = new events.EventBus(this, 'Bus', { description: 'Tween Payments domain events' });
    this.bus.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.archive = this.bus.archive('Archive', {
      description: 'Every event on the Tween Payments bus, for replay',
      eventPattern: { account: [this.account] },
      retention: Duration.days(eventBusDefinition.archiveRetentionDays),
    });
    this.archive.applyRemovalPolicy(RemovalPolicy.RETAIN);
    new QueueRouting(this, 'QueueRouting', { bus: this.bus, rules, queues: this.queues });

    // EventBridge writes events it could not deliver to the rule targets' dead-letter queues, which this key
    // encrypts; it may use the key for that only on behalf of rules of this bus.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'events',
              resource: 'rule',
              resourceName: `${this.bus.eventBusName}/*`,
            }),
          },
        },
      }),
    );
  }

  /**
   * A key apart from the data key, so the roles that read the table or the queues cannot open a TOTP seed,
   * and the key's own policy refuses any cryptographic use that does not name a user and a known purpose in
   * its encryption context (the functions' grants carry the same condition): a seed cannot be opened
   * without saying whose it is, and CloudTrail records whose.
   */
  private createMfaKey(): kms.Key {
    const key = new kms.Key(this, 'MfaKey', {
      description:
        'Tween Payments MFA secrets (TOTP seeds): usable only with a userId/purpose encryption context',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const cryptoActions = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];
    // One statement per key: a Null condition over several keys would deny only when all are missing.
    for (const name of mfaKeyContext.requiredKeys) {
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `DenyUseWithout${pascalCase(name)}Context`,
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: cryptoActions,
          resources: ['*'],
          conditions: { Null: { [`kms:EncryptionContext:${name}`]: 'true' } },
        }),
      );
    }
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyUseForAnotherPurpose',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: cryptoActions,
        resources: ['*'],
        conditions: { StringNotEquals: { 'kms:EncryptionContext:purpose': [...mfaKeyContext.purposes] } },
      }),
    );
    return key;
  }

  private createTable(): dynamodb.Table {
    const table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      // The outbox relay reads new items from the stream (its mapping is in the stateless stack).
      stream: dynamodb.StreamViewType[tableDefinition.stream],
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const gsi of tableDefinition.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: gsi.sortKey, type: dynamodb.AttributeType.STRING },
      });
    }
    return table;
  }

  private createAppSecrets(): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(this, 'AppSecrets', {
      description: appSecretsDefinition.description,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      generateSecretString: {
        secretStringTemplate: JSON.stringify(appSecretsDefinition.template),
        generateStringKey: appSecretsDefinition.generatedKey,
        passwordLength: 48,
        excludePunctuation: true,
      },
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Stripe keys are rolled in the Stripe dashboard and then stored here; no rotation Lambda can do that.',
    });
    return secret;
  }

  /** The Matrix publisher's access token: a plain string the platform team sets after the first deploy. */
  private createMatrixToken(): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(this, 'MatrixToken', {
      description: matrixTokenSecretDefinition.description,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The Matrix access token is issued by the homeserver to the payments bot; no rotation Lambda can do that.',
    });
    return secret;
  }

  /**
   * One queue per definition; a dead-letter queue is created before the queue that redrives into it, with the
   * dead-letter recipe (`DeadLetterQueue`).
   */
  private createQueues(): Record<QueueKey, sqs.Queue> {
    const redrivenFrom = new Map<QueueKey, QueueKey[]>();
    for (const key of queueKeys) {
      const deadLetter = deadLetterOf(key);
      if (deadLetter)
        redrivenFrom.set(deadLetter.queue, [...(redrivenFrom.get(deadLetter.queue) ?? []), key]);
    }
    const created = new Map<QueueKey, sqs.Queue>();
    const queueFor = (key: QueueKey): sqs.Queue => {
      const existing = created.get(key);
      if (existing) return existing;
      const definition = queueDefinition(key);
      const deadLetter = deadLetterOf(key);
      const shape = {
        queueName: definition.name,
        fifo: definition.fifo,
        visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
        retentionPeriod: Duration.seconds(definition.retentionSeconds),
      };
      const sources = redrivenFrom.get(key);
      if (sources && deadLetter) throw new Error(`Queue ${key} is a dead-letter queue with one of its own`);
      const queue = sources
        ? new DeadLetterQueue(this, `${pascalCase(key)}Queue`, {
            ...shape,
            key: this.key,
            holds: `dead-letter queue of the ${sources.join(', ')} queue${sources.length > 1 ? 's' : ''}`,
          })
        : new sqs.Queue(this, `${pascalCase(key)}Queue`, {
            ...shape,
            encryption: sqs.QueueEncryption.KMS,
            encryptionMasterKey: this.key,
            enforceSSL: true,
            removalPolicy: RemovalPolicy.RETAIN,
            ...(deadLetter && {
              deadLetterQueue: {
                queue: queueFor(deadLetter.queue),
                maxReceiveCount: deadLetter.maxReceiveCount,
              },
            }),
          });
      created.set(key, queue);
      return queue;
    };
    return Object.fromEntries(queueKeys.map((key) => [key, queueFor(key)])) as Record<QueueKey, sqs.Queue>;
  }
}
