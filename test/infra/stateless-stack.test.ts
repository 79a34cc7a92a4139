import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { routeGroupOf } from '../../cdk/constructs/routed-http-api.js';
import { repoRoot } from '../../cdk/lib/repo-root.js';
import { MATRIX_HOMESERVER_URL_ENV, MATRIX_TOKEN_SECRET_ENV } from '../../shared/adapters/matrix/settings.js';
import { placeholdersOf, resolvePlaceholder } from '../../shared/infra/asl-placeholders.js';
import { EVENT_BUS_ENV, type RuleDefinition, rules } from '../../shared/infra/events.js';
import {
  type Capability,
  type FunctionName,
  functionDefinition,
  functionNames,
} from '../../shared/infra/functions.js';
import { APP_SECRETS_ENV, KEY_ENV, MFA_KEY_ENV } from '../../shared/infra/keys.js';
import { KYC_BUCKET_ENV } from '../../shared/infra/kyc-bucket.js';
import { queueDefinition, queueKeys } from '../../shared/infra/queues.js';
import { routeKey } from '../../shared/infra/routes.js';
import { TABLE_ENV, tableDefinition } from '../../shared/infra/table.js';
import { WEBHOOK_RETRY_ENV } from '../../shared/infra/webhook-delivery-functions.js';
import { actionsOf, logicalIdOf, roleStatements, withNestedStacks } from './template-helpers.js';
import { buildTestApp, cdkContext, testRoutes, testStateMachines } from './test-app.js';

// Arrange (once per file: synthesis is the slow part)
const { stateful, stateless } = buildTestApp();
const template = withNestedStacks(stateless, Object.values(stateless.apiRouteStacks));
const functionId = (name: FunctionName) => logicalIdOf(stateless, stateless.functions[name]);
const functionProps = (name: FunctionName) => template.toJSON().Resources[functionId(name)].Properties;
const functionActions = (name: FunctionName): string[] => {
  const role = stateless.functions[name].role;
  if (!role) throw new Error(`${name} has no role`);
  return roleStatements(template, logicalIdOf(stateless, role)).flatMap(actionsOf);
};
const machineOf = (name: string) => {
  const machine = stateless.stateMachines[name];
  if (!machine) throw new Error(`No state machine ${name}`);
  return machine;
};
const aslOf = (file: string) => readFileSync(join(repoRoot, file), 'utf8');
const consumedBy = (name: FunctionName) =>
  queueKeys.filter((key) => queueDefinition(key).consumer?.fn === name);
const services = (actions: string[]) => new Set(actions.map((action) => action.split(':')[0]));

/** What each capability adds, in services and environment variables (the spec the stack is held to). */
const capabilityServices: Record<Capability, string[]> = {
  'table:describe': ['dynamodb'],
  'table:read': ['dynamodb', 'kms'],
  'table:write': ['dynamodb', 'kms'],
  'webhookQueue:describe': ['sqs'],
  'webhookQueue:send': ['sqs', 'kms'],
  'bus:describe': ['events'],
  'bus:put': ['events'],
  'states:list': ['states'],
  'key:describe': ['kms'],
  'key:encrypt': ['kms'],
  'key:decrypt': ['kms'],
  'mfaKey:encrypt': ['kms'],
  'mfaKey:decrypt': ['kms'],
  'appSecrets:read': ['secretsmanager', 'kms'],
  'matrixToken:read': ['secretsmanager', 'kms'],
  'payments:start': ['states'],
  'payments:callback': ['states'],
  'p2p:start': ['states'],
  'p2p:callback': ['states'],
  'gifts:start': ['states'],
  'paymentIntentCapture:start': ['states'],
  'kycBucket:readWrite': ['s3', 'kms'],
  'kycBucket:read': ['s3', 'kms'],
  'onboarding:start': ['states'],
  'onboarding:callback': ['states'],
  'payouts:start': ['states'],
  'payouts:callback': ['states'],
  'mail:send': ['ses'],
  'webhookDeliveries:send': ['sqs', 'kms'],
  'webhookRetries:schedule': ['scheduler', 'iam'],
  'sms:publish': ['sns'],
  'push:publish': ['sns'],
  'push:register': ['sns'],
};
const webhookQueueEnv = queueDefinition('webhooks').urlEnv;
const paymentArnEnv = 'PAYMENT_STATE_MACHINE_ARN';
const capabilityEnv: Record<Capability, readonly string[]> = {
  'table:describe': [TABLE_ENV],
  'table:read': [TABLE_ENV],
  'table:write': [TABLE_ENV],
  'webhookQueue:describe': [webhookQueueEnv],
  'webhookQueue:send': [webhookQueueEnv],
  'bus:describe': [EVENT_BUS_ENV],
  'bus:put': [EVENT_BUS_ENV],
  'states:list': [],
  'key:describe': [KEY_ENV],
  'key:encrypt': [KEY_ENV],
  'key:decrypt': [KEY_ENV],
  'mfaKey:encrypt': [MFA_KEY_ENV],
  'mfaKey:decrypt': [MFA_KEY_ENV],
  'appSecrets:read': [APP_SECRETS_ENV],
  'matrixToken:read': [MATRIX_HOMESERVER_URL_ENV, MATRIX_TOKEN_SECRET_ENV],
  'payments:start': [paymentArnEnv],
  'payments:callback': [paymentArnEnv],
  'p2p:start': ['P2P_STATE_MACHINE_ARN'],
  'p2p:callback': ['P2P_STATE_MACHINE_ARN'],
  'gifts:start': ['GIFT_STATE_MACHINE_ARN'],
  'paymentIntentCapture:start': ['PAYMENT_INTENT_CAPTURE_STATE_MACHINE_ARN'],
  'kycBucket:readWrite': [KYC_BUCKET_ENV],
  'kycBucket:read': [KYC_BUCKET_ENV],
  'onboarding:start': ['ONBOARDING_STATE_MACHINE_ARN'],
  'onboarding:callback': ['ONBOARDING_STATE_MACHINE_ARN'],
  'payouts:start': ['PAYOUT_STATE_MACHINE_ARN'],
  'payouts:callback': ['PAYOUT_STATE_MACHINE_ARN'],
  'mail:send': ['MAIL_FROM'],
  'webhookDeliveries:send': [queueDefinition('webhookDeliveries').urlEnv],
  'webhookRetries:schedule': Object.values(WEBHOOK_RETRY_ENV),
  'sms:publish': [],
  'push:publish': ['PUSH_APNS_APPLICATION_ARN', 'PUSH_FCM_APPLICATION_ARN'],
  'push:register': ['PUSH_APNS_APPLICATION_ARN', 'PUSH_FCM_APPLICATION_ARN'],
};
/** The rules that invoke a function (a rule with a queue sends to it, beside it in the stateful stack). */
const functionRules = rules.filter((rule: RuleDefinition) => rule.queue === undefined);
const ruleTargets = new Set<FunctionName>(functionRules.map((rule) => rule.target));
const streamConsumer = tableDefinition.streamConsumer;

describe('Stack: TweenPaymentsStateless', () => {
  describe('Functions', () => {
    it('creates one function per catalogue entry, on Node.js 22, arm64, with active tracing', () => {
      // Act
      const created = template.findResources('AWS::Lambda::Function');

      // Assert
      expect(Object.keys(created)).toHaveLength(functionNames.length);
      for (const name of functionNames) {
        const definition = functionDefinition(name);
        expect(functionProps(name)).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          Timeout: definition.timeoutSeconds,
          MemorySize: definition.memoryMb,
          Handler: `index.${definition.handler}`,
        });
      }
    });

    it('sends each function its logs to a log group of its own, kept for a month', () => {
      // Act
      const logGroups = functionNames.map((name) => functionProps(name).LoggingConfig.LogGroup.Ref as string);

      // Assert
      expect(new Set(logGroups).size).toBe(functionNames.length);
      for (const logGroup of logGroups) {
        expect(template.toJSON().Resources[logGroup]).toMatchObject({
          Type: 'AWS::Logs::LogGroup',
          Properties: { RetentionInDays: 30 },
        });
      }
    });

    it('sets only the environment variables that the capabilities of a function touch', () => {
      for (const name of functionNames) {
        // Arrange
        const expected = new Set(['POWERTOOLS_SERVICE_NAME', 'NODE_OPTIONS']);
        for (const capability of functionDefinition(name).capabilities) {
          for (const env of capabilityEnv[capability]) expected.add(env);
        }

        // Act
        const variables = functionProps(name).Environment.Variables as Record<string, unknown>;

        // Assert
        expect({ name, env: Object.keys(variables).sort() }).toEqual({ name, env: [...expected].sort() });
        expect(variables).toMatchObject({
          POWERTOOLS_SERVICE_NAME: 'tween-payments',
          NODE_OPTIONS: '--enable-source-maps',
        });
      }
    });

    it('grants each function the services its capabilities name and no other', () => {
      for (const name of functionNames) {
        // Arrange
        const expected = new Set(['logs', 'xray']);
        for (const capability of functionDefinition(name).capabilities) {
          for (const service of capabilityServices[capability]) expected.add(service);
        }
        if (consumedBy(name).length > 0) expected.add('sqs').add('kms');
        // Failed asynchronous invocations go to the target's (encrypted) dead-letter queue.
        if (ruleTargets.has(name)) expected.add('sqs').add('kms');
        // So do the reconciliation runs that kept failing.
        if (name === 'reconciler' || name === 'settlement') expected.add('sqs').add('kms');
        // The table stream's consumer reads the (encrypted) stream and reports failed batches to its queue.
        if (name === streamConsumer.fn) expected.add('dynamodb').add('kms').add('sqs');

        // Act
        const granted = services(functionActions(name));

        // Assert
        expect({ name, services: [...granted].sort() }).toEqual({ name, services: [...expected].sort() });
      }
    });

    it('gives write actions on the table only to functions with table:write', () => {
      for (const name of functionNames) {
        // Arrange
        const mayWrite = functionDefinition(name).capabilities.some(
          (capability) => capability === 'table:write',
        );

        // Act
        const writes = functionActions(name).filter((action) =>
          /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/.test(action),
        );

        // Assert
        expect({ name, writes: writes.length > 0 }).toEqual({ name, writes: mayWrite });
      }
    });

    it('grants health no data permission at all', () => {
      // Act
      const actions = functionActions('health');

      // Assert
      expect([...services(actions)].sort()).toEqual(['logs', 'xray']);
    });

    it('grants docs (the API reference) no data permission at all', () => {
      // Act
      const actions = functionActions('docs');

      // Assert
      expect([...services(actions)].sort()).toEqual(['logs', 'xray']);
    });

    it('lets healthIntegrations describe the table, queue, bus and key but not read or change them', () => {
      // Act
      const actions = functionActions('healthIntegrations');

      // Assert
      expect(actions).toEqual(
        expect.arrayContaining([
          'dynamodb:DescribeTable',
          'sqs:GetQueueAttributes',
          'events:DescribeEventBus',
          'states:ListStateMachines',
          'kms:DescribeKey',
        ]),
      );
      for (const forbidden of [
        'dynamodb:PutItem',
        'dynamodb:GetItem',
        'dynamodb:Query',
        'sqs:SendMessage',
        'events:PutEvents',
        'kms:Decrypt',
      ]) {
        expect(actions).not.toContain(forbidden);
      }
    });

    it('scopes table grants to the table and its named indexes, never to index/*', () => {
      // Act
      const resources = JSON.stringify(template.findResources('AWS::IAM::Policy'));

      // Assert
      expect(resources).not.toContain('/index/*');
      expect(resources).toContain('/index/GSI1');
    });

    it('maps each queue consumer with partial batch failure reporting', () => {
      // Arrange
      const consumers = queueKeys.flatMap((key) => {
        const consumer = queueDefinition(key).consumer;
        return consumer ? [{ key, consumer }] : [];
      });

      // Act & Assert: one mapping per queue consumer, and the table stream's
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', consumers.length + 1);
      for (const { consumer } of consumers) {
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          FunctionName: { Ref: functionId(consumer.fn) },
          BatchSize: consumer.batchSize,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        });
      }
    });
  });

  describe('Table stream', () => {
    const relayId = () => functionId('outboxRelay');
    const deadLetterQueueId = () => logicalIdOf(stateless, stateless.streamDeadLetterQueue);
    const streamMapping = () => {
      const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
        (mapping) => JSON.stringify(mapping.Properties.FunctionName) === JSON.stringify({ Ref: relayId() }),
      );
      expect(mappings).toHaveLength(1);
      return mappings[0]?.Properties;
    };

    it('maps the table stream to the outbox relay, from the trim horizon, with partial batch failures', () => {
      // Act
      const mapping = streamMapping();

      // Assert
      expect(streamConsumer.fn).toBe('outboxRelay');
      expect(mapping).toMatchObject({
        EventSourceArn: stateless.resolve(stateful.table.tableStreamArn),
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: streamConsumer.batchSize,
        MaximumBatchingWindowInSeconds: streamConsumer.maxBatchingWindowSeconds,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('passes only inserted outbox items to the relay', () => {
      // Act
      const filters = streamMapping()?.FilterCriteria.Filters as { Pattern: string }[];

      // Assert
      expect(filters.map((filter) => JSON.parse(filter.Pattern))).toEqual([
        { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['OutboxEvent'] } } } },
      ]);
    });

    it('bisects a failing batch, retries it a bounded number of times, then reports it to its dead-letter queue', () => {
      // Act
      const mapping = streamMapping();

      // Assert
      expect(mapping).toMatchObject({
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: streamConsumer.retryAttempts,
        MaximumRecordAgeInSeconds: streamConsumer.maxRecordAgeSeconds,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [deadLetterQueueId(), 'Arn'] } } },
      });
    });

    it('retries few times, yet enough for bisection to leave a failing record alone in the batch it reports', () => {
      // Arrange: each failure halves the batch that starts at the failing record
      const { batchSize, retryAttempts } = streamConsumer;

      // Act
      const reportedBatch = Math.ceil(batchSize / 2 ** retryAttempts);

      // Assert
      expect(reportedBatch).toBe(1);
      expect(retryAttempts).toBeLessThanOrEqual(10);
    });

    it('lets the relay read the table stream and send to its dead-letter queue, and nothing else of either', () => {
      // Arrange
      const role = stateless.functions.outboxRelay.role;
      if (!role) throw new Error('outboxRelay has no role');
      const statements = roleStatements(template, logicalIdOf(stateless, role));
      const resourcesFor = (action: string) =>
        statements
          .filter((statement) => actionsOf(statement).includes(action))
          .flatMap((statement) => [statement.Resource].flat());

      // Act & Assert
      for (const action of ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream']) {
        expect({ action, resources: resourcesFor(action) }).toEqual({
          action,
          resources: [stateless.resolve(stateful.table.tableStreamArn)],
        });
      }
      expect(resourcesFor('sqs:SendMessage')).toEqual([{ 'Fn::GetAtt': [deadLetterQueueId(), 'Arn'] }]);
      expect(functionActions('outboxRelay')).not.toContain('dynamodb:PutItem');
      expect(functionActions('outboxRelay')).not.toContain('dynamodb:GetItem');
    });

    it('encrypts the stream dead-letter queue with the key, keeps messages 14 days, requires TLS and retains it', () => {
      // Act
      const resource = template.toJSON().Resources[deadLetterQueueId()];
      const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')).filter((policy) =>
        JSON.stringify(policy.Properties.Queues).includes(deadLetterQueueId()),
      );

      // Assert
      expect(resource).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          KmsMasterKeyId: stateless.resolve(stateful.key.keyArn),
          MessageRetentionPeriod: 14 * 24 * 3600,
        },
      });
      expect(policies).toHaveLength(1);
      expect(policies[0]?.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    });
  });

  describe('HTTP API', () => {
    const routeResources = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    const routeFor = (key: string) => routeResources.find((route) => route.Properties.RouteKey === key);
    const authorizers = template.findResources('AWS::ApiGatewayV2::Authorizer');
    const authorizerOfType = (type: string) =>
      Object.entries(authorizers).find(([, resource]) => resource.Properties.AuthorizerType === type)?.[0];

    it('creates one route per route table entry', () => {
      // Assert
      expect(routeResources).toHaveLength(testRoutes.length);
      for (const route of testRoutes) expect(routeFor(routeKey(route))).toBeDefined();
    });

    it('requires the JWT authorizer on every route with auth jwt', () => {
      // Arrange
      const authorizerId = authorizerOfType('JWT');
      const jwtRoutes = testRoutes.filter((route) => route.auth === 'jwt');

      // Assert
      expect(jwtRoutes.length).toBeGreaterThan(0);
      for (const route of jwtRoutes) {
        expect(routeFor(routeKey(route))?.Properties).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: authorizerId },
        });
      }
    });

    it('leaves health, docs and webhook routes without an authorizer', () => {
      // Arrange
      const publicRoutes = testRoutes.filter((route) => route.auth === 'none' || route.auth === 'webhook');

      // Assert
      expect(publicRoutes.map((route) => route.path)).toEqual(
        expect.arrayContaining(['/health', '/openapi.json', '/docs', '/docs/assets/swagger-ui-bundle.js']),
      );
      for (const route of publicRoutes) {
        const properties = routeFor(routeKey(route))?.Properties;
        expect(properties?.AuthorizationType).toBe('NONE');
        expect(properties?.AuthorizerId).toBeUndefined();
      }
    });

    it('checks tokens against the issuer and audience from the cdk.json context', () => {
      // Assert
      expect(Object.keys(authorizers)).toHaveLength(2);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: cdkContext.jwtIssuer, Audience: [cdkContext.jwtAudience] },
      });
    });

    it('puts the API-key Lambda authorizer (simple responses, Authorization header, cached at most 60 s) on every merchant API route', () => {
      // Arrange
      const authorizerId = authorizerOfType('REQUEST');
      const apiKeyRoutes = testRoutes.filter((route) => route.auth === 'apiKey');

      // Assert
      expect(apiKeyRoutes.length).toBeGreaterThan(0);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'REQUEST',
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        IdentitySource: ['$request.header.Authorization'],
        AuthorizerResultTtlInSeconds: 60,
      });
      for (const route of apiKeyRoutes) {
        expect(routeFor(routeKey(route))?.Properties).toMatchObject({
          AuthorizationType: 'CUSTOM',
          AuthorizerId: { Ref: authorizerId },
        });
      }
    });

    it('shares one Lambda integration among the routes of one function', () => {
      // Arrange
      const functionsRouted = new Set(testRoutes.map((route) => route.fn));

      // Act & Assert
      template.resourceCountIs('AWS::ApiGatewayV2::Integration', functionsRouted.size);
    });

    it('throttles the default stage and writes JSON access logs to a log group', () => {
      // Act & Assert
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
          Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
        },
      });
    });

    it('throttles each route that has a limit of its own below the stage, once that route exists', () => {
      // Arrange
      const limited = testRoutes.filter((route) => route.throttle !== undefined);
      const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0];

      // Act & Assert
      expect(limited.map(routeKey)).toContain('POST /api/v1/webhooks/stripe');
      for (const route of limited) {
        expect(stage?.Properties.RouteSettings[routeKey(route)]).toEqual({
          ThrottlingBurstLimit: route.throttle?.burstLimit,
          ThrottlingRateLimit: route.throttle?.rateLimit,
        });
        expect(route.throttle?.rateLimit).toBeLessThan(100);
      }
      // The routes live in nested stacks: the stage waits for the nested stacks that hold the limited ones.
      const holders = Object.values(stateless.apiRouteStacks)
        .filter((nested) =>
          Object.values(Template.fromStack(nested).findResources('AWS::ApiGatewayV2::Route')).some((route) =>
            limited.map(routeKey).includes(route.Properties.RouteKey),
          ),
        )
        .map((nested) => logicalIdOf(stateless, nested.nestedStackResource ?? nested));
      expect(holders.length).toBeGreaterThan(0);
      expect(stage?.DependsOn).toEqual(expect.arrayContaining(holders));
    });

    it('gives the webhook consumer a timeout within the queue visibility timeout', () => {
      // Act & Assert
      expect(functionDefinition('webhookConsumer').timeoutSeconds).toBeLessThanOrEqual(
        queueDefinition('webhooks').visibilityTimeoutSeconds,
      );
      expect(queueDefinition('webhooks').consumer?.fn).toBe('webhookConsumer');
    });
  });

  describe('Event rules', () => {
    it('creates one rule per event rule definition, on the bus, with its pattern and target', () => {
      // Assert
      template.resourceCountIs('AWS::Events::Rule', functionRules.length);
      for (const rule of functionRules) {
        template.hasResourceProperties('AWS::Events::Rule', {
          Description: rule.description,
          EventBusName: Match.anyValue(),
          EventPattern: rule.pattern,
          Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId(rule.target), 'Arn'] } })],
        });
      }
    });

    it('retries delivery to every target for 24 h (185 attempts), then sends the event to its dead-letter queue', () => {
      for (const rule of functionRules) {
        // Arrange
        const queue = stateless.eventDeadLetterQueues[rule.target];
        if (!queue) throw new Error(`No dead-letter queue for ${rule.target}`);

        // Act & Assert
        template.hasResourceProperties('AWS::Events::Rule', {
          Description: rule.description,
          Targets: [
            Match.objectLike({
              RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
              DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(stateless, queue), 'Arn'] } },
            }),
          ],
        });
      }
    });

    it('sends what a target function still fails on after Lambda retries to the same dead-letter queue', () => {
      for (const target of ruleTargets) {
        // Arrange
        const queue = stateless.eventDeadLetterQueues[target];
        if (!queue) throw new Error(`No dead-letter queue for ${target}`);

        // Act & Assert
        template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
          FunctionName: { Ref: functionId(target) },
          MaximumRetryAttempts: 2,
          MaximumEventAgeInSeconds: 6 * 3600,
          DestinationConfig: {
            OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(stateless, queue), 'Arn'] } },
          },
        });
      }
    });

    it('encrypts the dead-letter queues with the key, keeps messages 14 days and requires TLS', () => {
      for (const queue of Object.values(stateless.eventDeadLetterQueues)) {
        // Arrange
        const id = logicalIdOf(stateless, queue);

        // Act
        const resource = template.toJSON().Resources[id];
        const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')).filter((policy) =>
          JSON.stringify(policy.Properties.Queues).includes(id),
        );

        // Assert
        expect(resource).toMatchObject({
          DeletionPolicy: 'Retain',
          Properties: {
            KmsMasterKeyId: stateless.resolve(stateful.key.keyArn),
            MessageRetentionPeriod: 14 * 24 * 3600,
          },
        });
        expect(policies).toHaveLength(1);
        expect(policies[0]?.Properties.PolicyDocument.Statement).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            expect.objectContaining({
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Condition: { ArnEquals: { 'aws:SourceArn': expect.anything() } },
            }),
          ]),
        );
      }
    });

    it('routes only room-bound tween.payments events to the Matrix publisher', () => {
      // Act & Assert
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: ['tween.payments'], detail: { roomId: [{ exists: true }] } },
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId('matrixPublisher'), 'Arn'] } })],
      });
    });
  });

  describe('Matrix publisher', () => {
    it('tells the publisher the homeserver URL from the context and the ARN of the token secret', () => {
      // Act
      const variables = functionProps('matrixPublisher').Environment.Variables as Record<string, unknown>;

      // Assert
      expect(variables).toMatchObject({
        [MATRIX_HOMESERVER_URL_ENV]: cdkContext.matrixHomeserverUrl,
        [MATRIX_TOKEN_SECRET_ENV]: stateless.resolve(stateful.matrixToken.secretArn),
      });
    });

    it('lets the publisher read the token secret and no other secret', () => {
      // Arrange
      const role = stateless.functions.matrixPublisher.role;
      if (!role) throw new Error('matrixPublisher has no role');

      // Act
      const reads = roleStatements(template, logicalIdOf(stateless, role)).filter((statement) =>
        actionsOf(statement).includes('secretsmanager:GetSecretValue'),
      );

      // Assert
      expect(reads.flatMap((statement) => [statement.Resource].flat())).toEqual([
        stateless.resolve(stateful.matrixToken.secretArn),
      ]);
    });
  });

  describe('Settlement schedule', () => {
    const deadLetterQueueId = () => logicalIdOf(stateless, stateless.settlementDeadLetterQueue);

    it('invokes the settlement job every hour (SETTLEMENT_PERIOD_SECONDS), with retries and a dead-letter queue', () => {
      // Assert
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(1 hour)',
        State: 'ENABLED',
        Target: {
          Arn: { 'Fn::GetAtt': [functionId('settlement'), 'Arn'] },
          Input: '{}',
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [deadLetterQueueId(), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        },
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionId('settlement') },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [deadLetterQueueId(), 'Arn'] } } },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterQueueId(), 'QueueName'] } }],
      });
    });

    it('lets its schedule role invoke only the settlement job and send only to its dead-letter queue', () => {
      // Arrange
      const roles = template.findResources('AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
          },
        },
      });
      const roleId = Object.keys(roles).find((id) => id.startsWith('SettlementSchedule'));
      if (roleId === undefined) throw new Error('No settlement scheduler role');

      // Act
      const statements = roleStatements(template, roleId);

      // Assert
      expect(statements.flatMap(actionsOf).sort()).toEqual(
        ['kms:Decrypt', 'kms:GenerateDataKey', 'lambda:InvokeFunction', 'sqs:SendMessage'].sort(),
      );
      const invoked = JSON.stringify(
        statements.filter((s) => actionsOf(s).includes('lambda:InvokeFunction')),
      );
      expect(invoked).toContain(functionId('settlement'));
      expect(invoked).not.toContain(functionId('reconciler'));
    });
  });

  describe('Reconciliation schedule', () => {
    const deadLetterQueueId = () => logicalIdOf(stateless, stateless.reconcileDeadLetterQueue);

    it('invokes the reconciler every 5 minutes, with retries and a dead-letter queue', () => {
      // Assert
      template.resourceCountIs('AWS::Scheduler::Schedule', 2);
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(5 minutes)',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: { 'Fn::GetAtt': [functionId('reconciler'), 'Arn'] },
          Input: '{}',
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [deadLetterQueueId(), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 300 },
        },
      });
    });

    it('sends a run that kept failing to the same dead-letter queue, which alarms', () => {
      // Assert
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionId('reconciler') },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [deadLetterQueueId(), 'Arn'] } } },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterQueueId(), 'QueueName'] } }],
      });
    });

    it('lets the schedule role invoke only the reconciler and send only to its dead-letter queue', () => {
      // Arrange
      const roles = template.findResources('AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
          },
        },
      });
      const roleId = Object.keys(roles).find((id) => id.startsWith('ReconcileSchedule'));
      if (roleId === undefined) throw new Error('No scheduler role');

      // Act
      const statements = roleStatements(template, roleId);

      // Assert
      expect(statements.flatMap(actionsOf).sort()).toEqual(
        ['kms:Decrypt', 'kms:GenerateDataKey', 'lambda:InvokeFunction', 'sqs:SendMessage'].sort(),
      );
    });
  });

  describe('State machines', () => {
    const machines = Object.entries(testStateMachines);

    it('creates a Standard state machine per catalogue entry, traced, logging ALL without execution data', () => {
      // Assert
      template.resourceCountIs('AWS::StepFunctions::StateMachine', machines.length);
      for (const [name] of machines) {
        expect(template.toJSON().Resources[logicalIdOf(stateless, machineOf(name))].Properties).toMatchObject(
          {
            StateMachineType: 'STANDARD',
            TracingConfiguration: { Enabled: true },
            LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
            DefinitionS3Location: expect.objectContaining({ Key: expect.stringMatching(/\.json$/) }),
          },
        );
      }
    });

    it('substitutes every placeholder of the ASL file with a function ARN or the bus name', () => {
      for (const [name, definition] of machines) {
        // Arrange
        const placeholders = placeholdersOf(aslOf(definition.file));

        // Act
        const substitutions =
          template.toJSON().Resources[logicalIdOf(stateless, machineOf(name))].Properties
            .DefinitionSubstitutions;

        // Assert
        expect(Object.keys(substitutions).sort()).toEqual([...placeholders].sort());
        for (const placeholder of placeholders) {
          const resolved = resolvePlaceholder(placeholder);
          if (resolved.kind === 'functionArn') {
            expect(substitutions[placeholder]).toEqual({ 'Fn::GetAtt': [functionId(resolved.fn), 'Arn'] });
          } else {
            expect(substitutions[placeholder]).toEqual(stateless.resolve(stateful.bus.eventBusName));
          }
        }
      }
    });

    it('lets a state machine invoke only the functions its ASL names, by their exact ARN', () => {
      for (const [name, definition] of machines) {
        // Arrange
        const named = placeholdersOf(aslOf(definition.file))
          .map((placeholder) => resolvePlaceholder(placeholder))
          .flatMap((resolved) => (resolved.kind === 'functionArn' ? [resolved.fn] : []));

        // Act
        const invokes = roleStatements(template, logicalIdOf(stateless, machineOf(name).role)).filter(
          (statement) => actionsOf(statement).includes('lambda:InvokeFunction'),
        );

        // Assert
        expect(invokes.flatMap((statement) => [statement.Resource].flat())).toEqual(
          named.map((fn) => ({ 'Fn::GetAtt': [functionId(fn), 'Arn'] })),
        );
      }
    });
  });

  describe('Alarms', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const topicRef = { Ref: logicalIdOf(stateless, stateless.alarmTopic) };
    const alarmOn = (metricName: string) =>
      alarms.filter((alarm) => alarm.Properties.MetricName === metricName);

    it('alarms as soon as a dead-letter queue holds a message', () => {
      // Arrange
      const deadLetterQueues = new Set(
        queueKeys.flatMap((key) => queueDefinition(key).deadLetter?.queue ?? []),
      );

      // Act
      const dlqAlarms = alarmOn('ApproximateNumberOfMessagesVisible');

      // Assert: the queues' dead-letter queues, one per event target function, the table stream's and the
      // reconciliation and settlement schedules'
      expect(dlqAlarms).toHaveLength(deadLetterQueues.size + ruleTargets.size + 3);
      for (const alarm of dlqAlarms) {
        expect(alarm.Properties).toMatchObject({
          Namespace: 'AWS/SQS',
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions: [topicRef],
        });
      }
    });

    it('alarms as soon as the table stream dead-letter queue holds a failed batch', () => {
      // Act
      const streamAlarms = alarmOn('ApproximateNumberOfMessagesVisible').filter(
        (alarm) =>
          JSON.stringify(alarm.Properties.Dimensions) ===
          JSON.stringify([
            {
              Name: 'QueueName',
              Value: { 'Fn::GetAtt': [logicalIdOf(stateless, stateless.streamDeadLetterQueue), 'QueueName'] },
            },
          ]),
      );

      // Assert
      expect(streamAlarms).toHaveLength(1);
      expect(streamAlarms[0]?.Properties).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        Period: 60,
        TreatMissingData: 'notBreaching',
        AlarmActions: [topicRef],
      });
    });

    it('alarms on failed executions of every state machine', () => {
      // Act
      const failed = alarmOn('ExecutionsFailed');

      // Assert
      expect(failed).toHaveLength(Object.keys(testStateMachines).length);
      for (const alarm of failed) {
        expect(alarm.Properties).toMatchObject({ Threshold: 0, AlarmActions: [topicRef] });
      }
    });

    it('alarms when the API answers with a 5xx', () => {
      // Act
      const serverErrors = alarmOn('5xx');

      // Assert
      expect(serverErrors).toHaveLength(1);
      expect(serverErrors[0]?.Properties).toMatchObject({
        Namespace: 'AWS/ApiGateway',
        AlarmActions: [topicRef],
      });
    });

    it('encrypts the alarm topic with the customer-managed key and requires TLS from publishers', () => {
      // Act & Assert
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: stateless.resolve(stateful.key.keyArn),
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });
});

describe('CloudFormation limits', () => {
  // 500 resources per template; a margin of 50 leaves room for the next feature before the split must move.
  const LIMIT = 450;

  const stacks: [string, Stack][] = [
    ['the stateless stack', stateless],
    ...Object.values(stateless.apiRouteStacks).map((nested): [string, Stack] => [nested.node.path, nested]),
  ];

  it.each(stacks)(`keeps %s within ${LIMIT} resources`, (_name, stack) => {
    // Act
    const count = Object.keys(Template.fromStack(stack).toJSON().Resources).length;

    // Assert
    expect(count).toBeLessThanOrEqual(LIMIT);
  });

  it.each(['merchant', 'payer'] as const)('puts exactly the %s routes in their nested stack', (group) => {
    // Arrange
    const nested = Template.fromStack(stateless.apiRouteStacks[group]);

    // Act
    const keys = Object.values(nested.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties.RouteKey as string,
    );

    // Assert
    const expected = testRoutes.filter((route) => routeGroupOf(route) === group).map(routeKey);
    expect(expected.length).toBeGreaterThan(0);
    expect(keys.sort()).toEqual(expected.sort());
  });
});
