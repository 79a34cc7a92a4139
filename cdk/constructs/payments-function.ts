/**
 * The one Lambda shape of the service: Node.js 22 on arm64, an ESM bundle (minified, with source maps), active
 * tracing, its own log group with a retention, and a role that starts empty. Everything the function may touch
 * arrives through a `bind*` call, which sets the environment variable and the resource-scoped grant together.
 */
import * as path from 'node:path';
import { type Duration, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import { MATRIX_HOMESERVER_URL_ENV, MATRIX_TOKEN_SECRET_ENV } from '../../shared/adapters/matrix/settings.js';
import { MAIL_FROM_ENV } from '../../shared/adapters/ses/settings.js';
import { esbuildAliasArgs, LAMBDA_SOURCES_CONTENT } from '../../shared/infra/bundling.js';
import { EVENT_BUS_ENV } from '../../shared/infra/events.js';
import { APP_SECRETS_ENV, KEY_ENV, MFA_KEY_ENV, mfaKeyContext } from '../../shared/infra/keys.js';
import { TABLE_ENV, tableDefinition } from '../../shared/infra/table.js';

export const SERVICE_NAME = 'tween-payments';

/** esbuild emits ESM; this banner gives CommonJS dependencies the `require` they expect. */
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export interface PaymentsFunctionProps {
  /** Absolute path of the entry module. */
  entry: string;
  /** Exported handler name in the entry module. */
  handler: string;
  description: string;
  timeout: Duration;
  memorySize: number;
  /** Repository root: where package-lock.json is and what esbuild resolves modules from. */
  projectRoot: string;
  logRetention?: logs.RetentionDays;
  /** Package files read at run time, copied into the bundle (FunctionDefinition.assets). */
  assets?: readonly string[];
}

/**
 * Shell commands that copy package files (`swagger-ui-dist/swagger-ui.css`) from the project's node_modules
 * into the bundle's own node_modules/, where the bundled code resolves them as the sources do locally.
 */
export function assetCopyCommands(inputDir: string, outputDir: string, assets: readonly string[]): string[] {
  return assets.flatMap((asset) => {
    if (!/^(@[\w.-]+\/)?[\w.-]+(\/[\w.-]+)+$/.test(asset) || asset.split('/').includes('..')) {
      throw new Error(`Not a package file: ${asset}`);
    }
    const target = path.posix.join(outputDir, 'node_modules', asset);
    return [
      `mkdir -p '${path.posix.dirname(target)}'`,
      `cp '${path.posix.join(inputDir, 'node_modules', asset)}' '${target}'`,
    ];
  });
}

export type TableAccess = 'describe' | 'read' | 'readWrite';
export type QueueAccess = 'describe' | 'send' | 'consume';
export type BusAccess = 'describe' | 'put';
export type KeyAccess = 'describe' | 'encrypt' | 'decrypt';

/**
 * Keyed reads and writes only. CDK's readData/readWriteData would add dynamodb:Scan (every user's items in one
 * call; no function scans, the design forbids it on a request path) and the stream actions, which mean
 * nothing on a table ARN (the stream consumer gets them on the stream from its event source).
 */
const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
/** What the table's customer-managed key must allow for those reads and writes (as CDK's grants give). */
const TABLE_KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const TABLE_KEY_WRITE_ACTIONS = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

export class PaymentsFunction extends NodejsFunction {
  private readonly executionRole: iam.Role;

  constructor(scope: Construct, id: string, props: PaymentsFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    // A role of our own instead of AWSLambdaBasicExecutionRole: that managed policy allows writing to any log
    // group, this role may write only to the function's own.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: props.entry,
      handler: props.handler,
      description: props.description,
      timeout: props.timeout,
      memorySize: props.memorySize,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      projectRoot: props.projectRoot,
      depsLockFilePath: path.join(props.projectRoot, 'package-lock.json'),
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: LAMBDA_SOURCES_CONTENT,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        // Bundle the pinned AWS SDK instead of the runtime's copy: the local stack runs the very same versions.
        externalModules: [],
        esbuildArgs: esbuildAliasArgs(),
        ...(props.assets === undefined || props.assets.length === 0
          ? {}
          : {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  assetCopyCommands(inputDir, outputDir, props.assets ?? []),
              },
            }),
      },
    });
    this.executionRole = role;

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime the design pins (bundles target node22); a newer LTS is a deliberate move.',
    });
    // Active tracing has just put the X-Ray statement into the role's default policy.
    Validations.of(this.defaultPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) have no resource-level scoping.',
    });
  }

  /** Table name in `TABLE_NAME`, plus describe, read or read/write access (and the key use that implies). */
  bindTable(table: dynamodb.Table, access: TableAccess): this {
    this.addEnvironment(TABLE_ENV, table.tableName);
    switch (access) {
      case 'describe':
        iam.Grant.addToPrincipal({
          grantee: this,
          actions: ['dynamodb:DescribeTable'],
          resourceArns: [table.tableArn],
        });
        break;
      case 'read':
        tableOnly(table).actions(this, ...TABLE_READ_ACTIONS);
        table.encryptionKey?.grant(this, ...TABLE_KEY_READ_ACTIONS);
        this.grantIndexQueries(table);
        break;
      case 'readWrite':
        tableOnly(table).actions(this, ...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS);
        table.encryptionKey?.grant(this, ...TABLE_KEY_READ_ACTIONS, ...TABLE_KEY_WRITE_ACTIONS);
        this.grantIndexQueries(table);
        this.acknowledgeKeyWildcards();
        break;
    }
    return this;
  }

  /** Queue URL in `envName`, plus describe, send or consume access (and the key use that implies). */
  bindQueue(queue: sqs.Queue, envName: string, access: QueueAccess): this {
    this.addEnvironment(envName, queue.queueUrl);
    switch (access) {
      case 'describe':
        queue.grants.actions(this, ['sqs:GetQueueAttributes']);
        break;
      case 'send':
        queue.grants.sendMessages(this);
        this.acknowledgeKeyWildcards();
        break;
      case 'consume':
        queue.grants.consumeMessages(this);
        break;
    }
    return this;
  }

  /** Bus name in `EVENT_BUS_NAME`, plus describe or put-events access on that bus only. */
  bindBus(bus: events.EventBus, access: BusAccess): this {
    this.addEnvironment(EVENT_BUS_ENV, bus.eventBusName);
    switch (access) {
      case 'describe':
        bus.grants.actions(this, ['events:DescribeEventBus']);
        break;
      case 'put':
        bus.grantPutEventsTo(this);
        break;
    }
    return this;
  }

  /** Key ARN in `KMS_KEY_ID`, plus describe, encrypt or decrypt on that key only. */
  bindKey(key: kms.Key, access: KeyAccess): this {
    this.addEnvironment(KEY_ENV, key.keyArn);
    switch (access) {
      case 'describe':
        key.grants.actions(this, 'kms:DescribeKey');
        break;
      case 'encrypt':
        key.grants.encrypt(this);
        this.acknowledgeKeyWildcards();
        break;
      case 'decrypt':
        key.grants.decrypt(this);
        break;
    }
    return this;
  }

  /**
   * The MFA key's ARN in `MFA_KMS_KEY_ID`, plus data-key generation (`encrypt`) or decryption (`decrypt`) on
   * that key only, and only with an encryption context naming a user and a purpose the key serves (the key's
   * own policy refuses anything else too). On the function's role: a grant in the key's policy would point
   * the stateful stack back at this one.
   */
  bindMfaKey(key: kms.Key, access: 'encrypt' | 'decrypt'): this {
    this.addEnvironment(MFA_KEY_ENV, key.keyArn);
    iam.Grant.addToPrincipal({
      grantee: this,
      actions: access === 'encrypt' ? ['kms:GenerateDataKey'] : ['kms:Decrypt'],
      resourceArns: [key.keyArn],
      conditions: {
        StringEquals: { 'kms:EncryptionContext:purpose': [...mfaKeyContext.purposes] },
        Null: { 'kms:EncryptionContext:userId': 'false' },
        'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': [...mfaKeyContext.requiredKeys] },
      },
    });
    return this;
  }

  /**
   * The app secret's ARN in `APP_SECRETS_ARN`, read access to that one secret, and decrypt on its key.
   * Granted on the function's role only: `secret.grantRead` would add the role to the key's policy in the
   * stateful stack, a reference back from stateful to stateless (a cycle).
   */
  bindAppSecrets(secret: secretsmanager.Secret, key: kms.Key): this {
    this.addEnvironment(APP_SECRETS_ENV, secret.secretArn);
    iam.Grant.addToPrincipal({
      grantee: this,
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resourceArns: [secret.secretArn],
    });
    key.grants.decrypt(this);
    return this;
  }

  /**
   * The homeserver URL in `MATRIX_HOMESERVER_URL`, the token secret's ARN in `MATRIX_TOKEN_SECRET_ARN`, read
   * access to that one secret and decrypt on its key; on the role only, like `bindAppSecrets` (no cycle).
   */
  bindMatrixHomeserver(homeserverUrl: string, tokenSecret: secretsmanager.Secret, key: kms.Key): this {
    this.addEnvironment(MATRIX_HOMESERVER_URL_ENV, homeserverUrl);
    this.addEnvironment(MATRIX_TOKEN_SECRET_ENV, tokenSecret.secretArn);
    iam.Grant.addToPrincipal({
      grantee: this,
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resourceArns: [tokenSecret.secretArn],
    });
    key.grants.decrypt(this);
    return this;
  }

  /**
   * Asynchronous invocations (EventBridge targets) that still fail after Lambda's retries, or grow older than
   * `maxEventAge`, go to `queue` with the request and the error, instead of being dropped.
   */
  sendFailedEventsTo(queue: sqs.Queue, options: { retryAttempts: number; maxEventAge: Duration }): this {
    this.configureAsyncInvoke({
      onFailure: new destinations.SqsDestination(queue),
      retryAttempts: options.retryAttempts,
      maxEventAge: options.maxEventAge,
    });
    this.acknowledgeKeyWildcards();
    return this;
  }

  /** The table's own grants cover `<table>/index/*`; each index of the table definition is named instead. */
  private grantIndexQueries(table: dynamodb.Table): void {
    iam.Grant.addToPrincipal({
      grantee: this,
      actions: ['dynamodb:Query'],
      resourceArns: tableDefinition.globalSecondaryIndexes.map(
        (gsi) => `${table.tableArn}/index/${gsi.indexName}`,
      ),
    });
  }

  private acknowledgeKeyWildcards(): void {
    for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
      Validations.of(this.defaultPolicy).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          'Envelope encryption with the one customer-managed key needs every data-key and re-encrypt variant.',
      });
    }
  }

  private get defaultPolicy(): IConstruct {
    return this.executionRole.node.findChild('DefaultPolicy');
  }

  /** Listing state machines (a health probe); kept in a policy of its own so its `*` is acknowledged alone. */
  allowListingStateMachines(): this {
    const policy = new iam.Policy(this, 'ListStateMachines', {
      roles: [this.executionRole],
      statements: [new iam.PolicyStatement({ actions: ['states:ListStateMachines'], resources: ['*'] })],
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'states:ListStateMachines has no resource-level scoping; it reveals names and ARNs, never data.',
    });
    return this;
  }

  /**
   * State machine ARN in `envName`, plus the right to start executions of that machine only. The ARN is
   * passed as a string built from the machine's fixed name: a reference to the machine itself would form a
   * cycle whenever the machine also invokes this function.
   */
  /** SES SendEmail from one verified identity (a domain or an address), with the sender address it sends from. */
  bindMailer(identityArn: string, mailFrom: string): this {
    this.addEnvironment(MAIL_FROM_ENV, mailFrom);
    iam.Grant.addToPrincipal({
      grantee: this,
      actions: ['ses:SendEmail'],
      resourceArns: [identityArn],
    });
    return this;
  }

  bindStateMachineStart(stateMachineArn: string, envName: string): this {
    this.addEnvironment(envName, stateMachineArn);
    iam.Grant.addToPrincipal({
      grantee: this,
      actions: ['states:StartExecution'],
      resourceArns: [stateMachineArn],
    });
    return this;
  }

  /** The right to answer the callback tasks (task tokens) of the state machines, and the machine's ARN. */
  allowTaskCallbacks(stateMachineArn: string, envName: string): this {
    this.addEnvironment(envName, stateMachineArn);
    // One policy covers every machine's tokens: a function resuming two machines adds only the second ARN.
    if (this.node.tryFindChild('TaskCallbacks') !== undefined) return this;
    const policy = new iam.Policy(this, 'TaskCallbacks', {
      roles: [this.executionRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
          resources: ['*'],
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Task tokens of service-integration tasks cannot be scoped by IAM; the token itself is the capability.',
    });
    return this;
  }
}

/** Grants on the table alone: index access is granted per named index, never as `index/*`. */
function tableOnly(table: dynamodb.Table): dynamodb.TableGrants {
  return dynamodb.TableGrants.fromTable(table, undefined, false);
}
