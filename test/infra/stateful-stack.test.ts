import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { eventBusDefinition, type RuleDefinition, rules } from '../../shared/infra/events.js';
import { deadLetterOf, type QueueKey, queueDefinition, queueKeys } from '../../shared/infra/queues.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { buildTestApp } from './test-app.js';

// Arrange (once per file: synthesis is the slow part)
const { stateful } = buildTestApp();
const template = Template.fromStack(stateful);
const arnOf = (element: CfnElement) => ({ 'Fn::GetAtt': [stateful.getLogicalId(element), 'Arn'] });
const keyArn = arnOf(stateful.key.node.defaultChild as CfnElement);
const queueIdOf = (key: QueueKey) =>
  stateful.getLogicalId(stateful.queues[key].node.defaultChild as CfnElement);

describe('Stack: TweenPaymentsStateful', () => {
  it('creates one table, two keys (data, MFA secrets), one bus with one archive and one queue per queue definition', () => {
    // Act
    const counts = {
      tables: template.findResources('AWS::DynamoDB::Table'),
      keys: template.findResources('AWS::KMS::Key'),
      buses: template.findResources('AWS::Events::EventBus'),
      archives: template.findResources('AWS::Events::Archive'),
      queues: template.findResources('AWS::SQS::Queue'),
    };

    // Assert
    expect(Object.keys(counts.tables)).toHaveLength(1);
    expect(Object.keys(counts.keys).sort()).toEqual(
      [stateful.key, stateful.mfaKey]
        .map((key) => stateful.getLogicalId(key.node.defaultChild as CfnElement))
        .sort(),
    );
    expect(Object.keys(counts.buses)).toHaveLength(1);
    expect(Object.keys(counts.archives)).toHaveLength(1);
    expect(Object.keys(counts.queues)).toHaveLength(queueKeys.length);
  });

  it('keys the table, its GSI and its TTL exactly as the shared table definition says', () => {
    // Arrange
    const gsis = tableDefinition.globalSecondaryIndexes.map((gsi) => ({
      IndexName: gsi.indexName,
      KeySchema: [
        { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
        { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
      ],
    }));

    // Act & Assert
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: gsis.map((gsi) => Match.objectLike(gsi)),
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('streams the new image of every changed item, as the table definition says, for the outbox relay', () => {
    // Act & Assert
    expect(tableDefinition.stream).toBe('NEW_IMAGE');
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
  });

  it('encrypts the table with the customer-managed key and keeps point-in-time recovery on', () => {
    // Act & Assert
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
  });

  it('rotates both customer-managed keys', () => {
    // Act
    const keys = Object.values(template.findResources('AWS::KMS::Key'));

    // Assert
    expect(keys.map((key) => key.Properties.EnableKeyRotation)).toEqual([true, true]);
  });

  it('refuses any cryptographic use of the MFA key whose encryption context does not name a user and a known purpose', () => {
    // Act
    const mfaKey =
      template.toJSON().Resources[stateful.getLogicalId(stateful.mfaKey.node.defaultChild as CfnElement)];
    const statements: {
      Sid?: string;
      Effect: string;
      Condition?: unknown;
      Principal?: unknown;
      Action?: unknown;
    }[] = mfaKey.Properties.KeyPolicy.Statement;
    const denials = statements.filter((statement) => statement.Effect === 'Deny');
    const crypto = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

    // Assert
    expect(denials).toEqual([
      {
        Sid: 'DenyUseWithoutUserIdContext',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: crypto,
        Resource: '*',
        Condition: { Null: { 'kms:EncryptionContext:userId': 'true' } },
      },
      {
        Sid: 'DenyUseWithoutPurposeContext',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: crypto,
        Resource: '*',
        Condition: { Null: { 'kms:EncryptionContext:purpose': 'true' } },
      },
      {
        Sid: 'DenyUseForAnotherPurpose',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: crypto,
        Resource: '*',
        Condition: { StringNotEquals: { 'kms:EncryptionContext:purpose': ['totp'] } },
      },
    ]);
    expect(
      statements
        .filter((statement) => statement.Effect === 'Allow' && statement.Principal !== undefined)
        .map((s) => s.Principal),
    ).toEqual([
      {
        AWS: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']],
        },
      },
    ]);
  });

  it('creates every queue with the name, FIFO flag, timeout and retention of its definition', () => {
    for (const key of queueKeys) {
      // Arrange
      const definition = queueDefinition(key);

      // Act & Assert
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: definition.name,
        ...(definition.fifo ? { FifoQueue: true } : {}),
        VisibilityTimeout: definition.visibilityTimeoutSeconds,
        MessageRetentionPeriod: definition.retentionSeconds,
      });
    }
  });

  it('encrypts every queue with the customer-managed key and denies requests without TLS', () => {
    // Act
    const queues = Object.values(template.findResources('AWS::SQS::Queue'));
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));

    // Assert
    expect(queues).toHaveLength(queueKeys.length);
    for (const queue of queues) expect(queue.Properties.KmsMasterKeyId).toEqual(keyArn);
    expect(policies).toHaveLength(queueKeys.length);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('redrives a queue into its dead-letter queue after the maxReceiveCount of its definition', () => {
    for (const key of queueKeys) {
      // Arrange
      const deadLetter = deadLetterOf(key);
      if (!deadLetter) continue;
      const dlq = stateful.queues[deadLetter.queue];

      // Act & Assert
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: queueDefinition(key).name,
        RedrivePolicy: {
          deadLetterTargetArn: arnOf(dlq.node.defaultChild as CfnElement),
          maxReceiveCount: deadLetter.maxReceiveCount,
        },
      });
    }
  });

  it('archives the events of the bus for the retention of the bus definition', () => {
    // Act & Assert
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: arnOf(stateful.bus.node.defaultChild as CfnElement),
      RetentionDays: eventBusDefinition.archiveRetentionDays,
    });
  });

  it('retains the key, table, queues, bus and archive when the stack or the resource goes away', () => {
    for (const type of [
      'AWS::KMS::Key',
      'AWS::DynamoDB::Table',
      'AWS::SQS::Queue',
      'AWS::Events::EventBus',
      'AWS::Events::Archive',
      'AWS::SecretsManager::Secret',
    ]) {
      // Act
      const resources = Object.values(template.findResources(type));

      // Assert
      expect(resources.length).toBeGreaterThan(0);
      for (const resource of resources) {
        expect({ type, deletion: resource.DeletionPolicy, replace: resource.UpdateReplacePolicy }).toEqual({
          type,
          deletion: 'Retain',
          replace: 'Retain',
        });
      }
    }
  });

  it('lets CloudWatch alarms (alarm topic) and EventBridge (target dead-letter queues) use the key, no other service', () => {
    // Act
    const key =
      template.toJSON().Resources[stateful.getLogicalId(stateful.key.node.defaultChild as CfnElement)];
    const statements: { Principal?: { Service?: string } }[] = key?.Properties.KeyPolicy.Statement ?? [];
    const services = statements.flatMap((statement) => statement.Principal?.Service ?? []);

    // Assert
    expect(services).toEqual(['cloudwatch.amazonaws.com', 'events.amazonaws.com']);
  });

  it('sends the events of a queue rule to its queue, only on behalf of that rule, retried 24 h, then to its dead-letter queue', () => {
    for (const rule of rules as readonly RuleDefinition[]) {
      // Arrange
      if (rule.queue === undefined) continue;
      const queue = queueIdOf(rule.queue);
      const deadLetter = deadLetterOf(rule.queue);
      if (deadLetter === undefined) throw new Error(`Queue ${rule.queue} has no dead-letter queue`);
      const ruleId = Object.entries(template.findResources('AWS::Events::Rule')).find(
        ([, resource]) => resource.Properties.Description === rule.description,
      )?.[0];

      // Act & Assert
      template.hasResourceProperties('AWS::Events::Rule', {
        Description: rule.description,
        EventPattern: rule.pattern,
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [queue, 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueIdOf(deadLetter.queue), 'Arn'] } },
          }),
        ],
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queue }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 'sqs:SendMessage',
              Principal: { Service: 'events.amazonaws.com' },
              Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
            }),
          ]),
        },
      });
    }
  });

  it('lets EventBridge use the key only for rules of its own bus in its own account', () => {
    // Act & Assert
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    Match.arrayWith([
                      Match.stringLikeRegexp(':rule/$'),
                      { Ref: stateful.getLogicalId(stateful.bus.node.defaultChild as CfnElement) },
                      '/*',
                    ]),
                  ],
                },
              },
            },
          },
        ]),
      },
    });
  });

  it('keeps the Matrix access token in a secret of its own, encrypted with the customer-managed key', () => {
    // Act
    const secrets = template.findResources('AWS::SecretsManager::Secret');
    const matrixToken = secrets[stateful.getLogicalId(stateful.matrixToken.node.defaultChild as CfnElement)];

    // Assert
    expect(Object.keys(secrets)).toHaveLength(2);
    expect(matrixToken?.Properties).toMatchObject({
      KmsKeyId: keyArn,
      Description: expect.stringContaining('Matrix'),
    });
  });
});
