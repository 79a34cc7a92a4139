/**
 * The embedded local stack: the whole API on one machine, with real engines where they exist (DynamoDB
 * Local, aws-local-stepfunctions running the ASL files, local-aws-sqs) and small stand-ins where none does
 * (event bus, KMS, Stripe, Matrix). The handlers are the Lambda modules themselves; only endpoints and
 * environment variables tell them where they run.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PUSH_APPLICATION_ENVS } from '../shared/adapters/sns/settings.js';
import {
  apiKeyHasher,
  apiKeys,
  apps as appStore,
  merchants as merchantStore,
} from '../shared/composition/merchants.js';
import { EVENT_BUS_ENV, eventBusDefinition, rules } from '../shared/infra/events.js';
import { KEY_ENV, MFA_KEY_ENV } from '../shared/infra/keys.js';
import { KYC_BUCKET_ENV, kycBucketDefinition, S3_FORCE_PATH_STYLE_ENV } from '../shared/infra/kyc-bucket.js';
import { type QueueDefinition, type QueueKey, queueKeys, queues } from '../shared/infra/queues.js';
import { routes } from '../shared/infra/routes.js';
import { stateMachines } from '../shared/infra/state-machines.js';
import {
  SUBSCRIPTION_SCHEDULE_ENV,
  SUBSCRIPTION_SCHEDULE_GROUP,
} from '../shared/infra/subscription-functions.js';
import { TABLE_ENV } from '../shared/infra/table.js';
import {
  WEBHOOK_RETRY_ENV,
  WEBHOOK_RETRY_SCHEDULE_GROUP,
} from '../shared/infra/webhook-delivery-functions.js';
import { startAwsJsonEndpoint } from './aws-json.js';
import type { LocalEnv } from './config.js';
import { startDynamoDb } from './dynamodb.js';
import { TableStreamMapping } from './dynamodb-streams.js';
import { LocalEventBus } from './eventbridge/bus.js';
import { DynamoDbFaults } from './faults/dynamodb-proxy.js';
import { faultRoutes } from './faults/routes.js';
import { startHttpApi } from './http-api.js';
import { LocalKmsKeyring } from './kms/keyring.js';
import { LOCAL_MFA_KMS_ALIAS, LocalKms, MFA_KEY_FILE_NAME } from './kms/kms.js';
import { LocalLambda } from './lambda.js';
import { localRoutes } from './local-routes.js';
import { LocalHomeserver } from './matrix/homeserver.js';
import { Counters } from './metrics.js';
import { startPayPalServer } from './paypal/server.js';
import { LocalReconcileSchedule } from './reconciler.js';
import { startS3 } from './s3/server.js';
import { LocalScheduler } from './scheduler/scheduler.js';
import { DEMO_CONNECTED_ACCOUNT, seedDemo } from './seed.js';
import { sesRoutes, startSes } from './ses.js';
import { LocalStepFunctions } from './sfn/runner.js';
import { snsRoutes, startSns } from './sns.js';
import { EventSourceMapping } from './sqs/poller.js';
import { startSqs } from './sqs/queues.js';
import { startStripeServer } from './stripe/server.js';

export const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));

export interface StackOptions {
  env: LocalEnv;
  /** Keep nothing on disk (`npm start -- --in-memory`, and the tests). */
  inMemory: boolean;
}

export interface RunningStack {
  apiUrl: string;
  endpoints: Record<string, string>;
  counters: Counters;
  lambda: LocalLambda;
  stepFunctions: LocalStepFunctions;
  bus: LocalEventBus;
  dynamoDbEngine: string;
  startupMs: number;
  stop(): Promise<void>;
}

const credentials = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };

export async function startStack({ env, inMemory }: StackOptions): Promise<RunningStack> {
  const started = performance.now();
  const dataDir = inMemory ? null : resolve(ROOT_DIR, env.LOCAL_DATA_DIR);
  const counters = new Counters();
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };

  try {
    // Injected only into the functions' DynamoDB traffic, and only once switched on (PUT /local/faults/dynamodb).
    const dynamoDbFaults = new DynamoDbFaults();
    const [dynamoDb, sqs, kms, mfaKms, ses, sns] = await Promise.all([
      startDynamoDb({
        dataDir: dataDir === null ? null : resolve(dataDir, 'dynamodb'),
        counters,
        faults: dynamoDbFaults,
      }),
      startSqs(counters, env.SQS_RETRY_DELAY_SECONDS),
      LocalKms.open({ dataDir }),
      LocalKms.open({ dataDir, fileName: MFA_KEY_FILE_NAME, alias: LOCAL_MFA_KMS_ALIAS }),
      startSes(),
      startSns(),
    ]);
    stops.push(ses.close, sns.close);
    const keyring = new LocalKmsKeyring([kms, mfaKms]);
    stops.push(dynamoDb.stop, sqs.close);
    // KYC documents: s3rver behind a SigV4 gate, the bucket created at start (local/s3/server.ts).
    const s3 = await startS3({ dataDir, buckets: [kycBucketDefinition.localName], credentials: localKeys() });
    stops.push(s3.stop);

    const lambda = LocalLambda.fromCatalogue(ROOT_DIR, counters);
    const sqsClient = new SQSClient({
      endpoint: sqs.endpoint,
      region: credentials.AWS_REGION,
      credentials: localKeys(),
    });
    // A rule with a queue target sends the event itself as the message body, as EventBridge does.
    const enqueue = async (queue: QueueKey, event: unknown) => {
      await sqsClient.send(
        new SendMessageCommand({ QueueUrl: sqs.urlOf(queue), MessageBody: JSON.stringify(event) }),
      );
    };
    const bus = new LocalEventBus(eventBusDefinition.localName, rules, lambda, counters, enqueue);
    stops.push(() => bus.close());
    const stepFunctions = new LocalStepFunctions(lambda, bus, counters);
    stops.push(async () => stepFunctions.stopAll());
    // Started once the functions are warm; POST /local/reconcile runs it at once.
    const reconcileSchedule = new LocalReconcileSchedule(lambda, env.RECONCILE_PERIOD_SECONDS);
    stops.push(() => reconcileSchedule.stop());
    const settlementSchedule = new LocalReconcileSchedule(
      lambda,
      env.SETTLEMENT_PERIOD_SECONDS,
      'settlement',
    );
    stops.push(() => settlementSchedule.stop());
    const homeserver = new LocalHomeserver({
      accessToken: env.MATRIX_ACCESS_TOKEN,
      onRequest: () => counters.add('matrixRequests'),
    });

    const aws = await startAwsJsonEndpoint({
      AWSStepFunctions: stepFunctions.service,
      AWSEvents: bus.service,
      TrentService: async (operation, request) => {
        counters.add('kmsCalls');
        return keyring.handle(operation, request);
      },
    });
    stops.push(() => closeServer(aws.server));

    const api = await startHttpApi({
      port: env.PORT,
      routes,
      lambda,
      jwtSecret: env.LOCAL_JWT_SECRET,
      counters,
      localRoutes: [
        ...localRoutes({ counters, stepFunctions, bus, homeserver, reconcileSchedule }),
        ...faultRoutes({ dynamoDb: dynamoDbFaults.plan }),
        ...sesRoutes(ses),
        ...snsRoutes(sns),
      ],
    });
    stops.push(() => closeServer(api.server));

    const stripe = await startStripeServer({
      secretKey: env.STRIPE_SECRET_KEY,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET,
      webhookUrl: `${api.url}/api/v1/webhooks/stripe`,
      onRequest: () => counters.add('stripeRequests'),
      connectedAccounts: [DEMO_CONNECTED_ACCOUNT],
    });
    stops.push(stripe.close);

    const paypal = await startPayPalServer({
      clientId: env.PAYPAL_CLIENT_ID,
      clientSecret: env.PAYPAL_CLIENT_SECRET,
      webhookId: env.PAYPAL_WEBHOOK_ID,
      webhookUrl: `${api.url}/api/v1/webhooks/paypal`,
      onRequest: () => counters.add('paypalRequests'),
    });
    stops.push(paypal.close);

    // EventBridge Scheduler's stand-in: a due schedule sends its input to the queue its target names.
    const schedulerTargets = new SQSClient({
      endpoint: sqs.endpoint,
      region: credentials.AWS_REGION,
      credentials: localKeys(),
    });
    const scheduler = new LocalScheduler(async (arn, input) => {
      const key = queueKeys.find((candidate) => sqs.arnOf(candidate) === arn);
      if (key === undefined) throw new Error(`No local queue ${arn}`);
      await schedulerTargets.send(new SendMessageCommand({ QueueUrl: sqs.urlOf(key), MessageBody: input }));
    });
    const schedulerUrl = await scheduler.start();
    stops.push(() => scheduler.stop());

    const stateMachineArns: Record<string, string> = {};
    for (const [name, machine] of Object.entries(stateMachines)) {
      stateMachineArns[machine.arnEnv] = stepFunctions.register(
        name,
        readFileSync(resolve(ROOT_DIR, machine.file), 'utf8'),
      );
    }

    // What each Lambda function finds in its environment on AWS (CDK sets the same names).
    Object.assign(process.env, {
      ...credentials,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.functionsEndpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_ENDPOINT_URL_SFN: aws.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: aws.url,
      AWS_ENDPOINT_URL_KMS: aws.url,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      [S3_FORCE_PATH_STYLE_ENV]: 'true',
      [KYC_BUCKET_ENV]: kycBucketDefinition.localName,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
      [PUSH_APPLICATION_ENVS.apns]: sns.applications.apns,
      [PUSH_APPLICATION_ENVS.fcm]: sns.applications.fcm,
      MAIL_FROM: env.MAIL_FROM,
      EMAIL_CODE_TTL_SECONDS: String(env.EMAIL_CODE_TTL_SECONDS),
      MERCHANT_REVIEW_WINDOW_SECONDS: String(env.MERCHANT_REVIEW_WINDOW_SECONDS),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      [TABLE_ENV]: dynamoDb.tableName,
      [EVENT_BUS_ENV]: bus.name,
      [KEY_ENV]: kms.keyArn,
      [MFA_KEY_ENV]: mfaKms.keyArn,
      ...Object.fromEntries(queueKeys.map((key) => [queues[key].urlEnv, sqs.urlOf(key)])),
      ...stateMachineArns,
      STRIPE_SECRET_KEY: env.STRIPE_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: env.STRIPE_WEBHOOK_SECRET,
      STRIPE_API_BASE: stripe.url,
      PAYPAL_CLIENT_ID: env.PAYPAL_CLIENT_ID,
      PAYPAL_CLIENT_SECRET: env.PAYPAL_CLIENT_SECRET,
      PAYPAL_WEBHOOK_ID: env.PAYPAL_WEBHOOK_ID,
      PAYPAL_API_BASE: paypal.url,
      CURSOR_SECRET: env.CURSOR_SECRET,
      API_KEY_PEPPER: env.API_KEY_PEPPER,
      MATRIX_HOMESERVER_URL: api.url,
      MATRIX_ACCESS_TOKEN: env.MATRIX_ACCESS_TOKEN,
      MFA_THRESHOLDS: env.MFA_THRESHOLDS,
      MFA_VELOCITY_LIMIT: String(env.MFA_VELOCITY_LIMIT),
      MFA_TIMEOUT_SECONDS: String(env.MFA_TIMEOUT_SECONDS),
      USER_RATE_LIMIT_PER_MINUTE: String(env.USER_RATE_LIMIT_PER_MINUTE),
      PROVIDER_TIMEOUT_SECONDS: String(env.PROVIDER_TIMEOUT_SECONDS),
      BREAKER_FAILURE_THRESHOLD: String(env.BREAKER_FAILURE_THRESHOLD),
      BREAKER_COOL_DOWN_SECONDS: String(env.BREAKER_COOL_DOWN_SECONDS),
      PROVIDER_RETRY_ATTEMPTS: String(env.PROVIDER_RETRY_ATTEMPTS),
      RECONCILE_AFTER_SECONDS: String(env.RECONCILE_AFTER_SECONDS),
      P2P_ACCEPTANCE_WINDOW_SECONDS: String(env.P2P_ACCEPTANCE_WINDOW_SECONDS),
      GIFT_MIN_LIFETIME_SECONDS: String(env.GIFT_MIN_LIFETIME_SECONDS),
      CAPTURE_WINDOW_SECONDS: String(env.CAPTURE_WINDOW_SECONDS),
      ENABLED_CURRENCIES: env.ENABLED_CURRENCIES,
      FEE_TIERS: env.FEE_TIERS,
      PROCESSING_FEE: env.PROCESSING_FEE,
      SETTLEMENT_DELAY_SECONDS: String(env.SETTLEMENT_DELAY_SECONDS),
      // Test-mode webhook endpoints may be on this machine (a local receiver); never set on AWS.
      WEBHOOK_LOOPBACK_IN_TEST: 'true',
      WEBHOOK_RETRY_SCHEDULE: env.WEBHOOK_RETRY_SCHEDULE,
      WEBHOOK_DISABLE_AFTER_SECONDS: String(env.WEBHOOK_DISABLE_AFTER_SECONDS),
      AWS_ENDPOINT_URL_SCHEDULER: schedulerUrl,
      DUNNING_SCHEDULE: env.DUNNING_SCHEDULE,
      SUBSCRIPTION_PERIOD_SECONDS: String(env.SUBSCRIPTION_PERIOD_SECONDS),
      [SUBSCRIPTION_SCHEDULE_ENV.group]: SUBSCRIPTION_SCHEDULE_GROUP,
      [SUBSCRIPTION_SCHEDULE_ENV.roleArn]:
        'arn:aws:iam::000000000000:role/tween-subscription-steps-scheduler',
      [SUBSCRIPTION_SCHEDULE_ENV.queueArn]: sqs.arnOf('subscriptionSteps'),
      [WEBHOOK_RETRY_ENV.group]: WEBHOOK_RETRY_SCHEDULE_GROUP,
      [WEBHOOK_RETRY_ENV.roleArn]: 'arn:aws:iam::000000000000:role/tween-webhook-retries-scheduler',
      [WEBHOOK_RETRY_ENV.queueArn]: sqs.arnOf('webhookDeliveries'),
      PAYOUT_WAIT_SECONDS: String(env.PAYOUT_WAIT_SECONDS),
      POWERTOOLS_SERVICE_NAME: 'tween-payments',
      POWERTOOLS_LOG_LEVEL: env.POWERTOOLS_LOG_LEVEL,
      POWERTOOLS_TRACE_ENABLED: 'false',
      // With tracing off, X-Ray's automatic mode (the default) would still put an async hook on every promise
      // of this one process (cls-hooked), a tenth of the stack's CPU; manual mode loads without it.
      AWS_XRAY_MANUAL_MODE: 'true',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    await lambda.warmUp();
    await seedDemo(
      { merchants: merchantStore(), apps: appStore(), apiKeys: apiKeys(), hasher: await apiKeyHasher() },
      env.LOCAL_SEED_APPS.split(',').filter((appId) => appId !== ''),
    );

    for (const key of queueKeys) {
      const queue: QueueDefinition = queues[key];
      if (queue.consumer === undefined) continue;
      const mapping = new EventSourceMapping({
        client: sqsClient,
        queueUrl: sqs.urlOf(key as QueueKey),
        queueArn: sqs.arnOf(key as QueueKey),
        fifo: queue.fifo,
        fn: queue.consumer.fn,
        batchSize: queue.consumer.batchSize,
        lambda,
      });
      mapping.start();
      stops.push(() => mapping.stop());
    }
    // The table stream's consumer (the outbox relay), as CDK maps it: shared/infra/table.ts.
    const tableStream = new TableStreamMapping({
      endpoint: dynamoDb.engineEndpoint,
      tableName: dynamoDb.tableName,
      tableCreated: dynamoDb.tableCreated,
      sqs: sqsClient,
      lambda,
    });
    await tableStream.start();
    stops.push(() => tableStream.stop());
    reconcileSchedule.start();
    settlementSchedule.start();

    return {
      apiUrl: api.url,
      endpoints: {
        api: api.url,
        dynamodb: dynamoDb.endpoint,
        sqs: sqs.endpoint,
        stepFunctions: aws.url,
        eventBridge: aws.url,
        kms: aws.url,
        s3: s3.endpoint,
        stripe: stripe.url,
        paypal: paypal.url,
        matrix: api.url,
        ses: ses.engineUrl,
        sns: sns.endpoint,
      },
      counters,
      lambda,
      stepFunctions,
      bus,
      dynamoDbEngine: dynamoDb.engineEndpoint,
      startupMs: Math.round(performance.now() - started),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function localKeys() {
  return { accessKeyId: credentials.AWS_ACCESS_KEY_ID, secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
