/**
 * The invoice PDFs' bucket (#18): private, on the customer-managed key, TLS only, versioned, logged; and the
 * functions that reach it (the PDF route and the notifier, which attaches the PDF), on `invoices/*` only.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { functionNames } from '../../shared/infra/functions.js';
import { INVOICE_BUCKET_ENV } from '../../shared/infra/invoice-bucket.js';
import { actionsOf, logicalIdOf, roleStatements } from './template-helpers.js';
import { buildTestApp } from './test-app.js';

// Arrange (once per file: synthesis is the slow part)
const { stateful, stateless } = buildTestApp();
const template = Template.fromStack(stateful);
const statelessTemplate = Template.fromStack(stateless);
const bucketId = logicalIdOf(stateful, stateful.invoiceBucket);
const keyId = stateful.getLogicalId(stateful.key.node.defaultChild as CfnElement);
const objectsArn = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':s3:::tween-payments-invoices-',
      { Ref: 'AWS::AccountId' },
      '-',
      { Ref: 'AWS::Region' },
      '/invoices/*',
    ],
  ],
};

describe('Construct: InvoiceBucket', () => {
  it('blocks every public access, encrypts with the service key (bucket key on), versions and logs the bucket', () => {
    const bucket = template.findResources('AWS::S3::Bucket')[bucketId];
    expect(bucket?.DeletionPolicy).toBe('Retain');
    expect(bucket?.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
            },
          },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: expect.anything(), LogFilePrefix: 'invoices/' },
    });
  });

  it('refuses every request that is not over TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('lets only the PDF route and the notifier reach it: objects under invoices/, a list under invoices/, the key through S3', () => {
    // Act
    const statementsOf = (name: (typeof functionNames)[number]) =>
      roleStatements(statelessTemplate, logicalIdOf(stateless, stateless.functions[name].role ?? stateless));
    const reaching = functionNames.filter((name) =>
      statementsOf(name).some((statement) => JSON.stringify(statement).includes('tween-payments-invoices-')),
    );

    // Assert
    expect(reaching.sort()).toEqual(['invoiceDocuments', 'notifier']);
    for (const name of reaching) {
      const statements = statementsOf(name);
      const s3Statements = statements.filter((statement) =>
        JSON.stringify(statement).includes('tween-payments-invoices-'),
      );
      expect(s3Statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Action: ['s3:PutObject', 's3:GetObject'], Resource: objectsArn }),
          expect.objectContaining({
            Action: 's3:ListBucket',
            Condition: { StringLike: { 's3:prefix': ['invoices/*'] } },
          }),
        ]),
      );
      expect(s3Statements.flatMap(actionsOf).sort()).toEqual([
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
      ]);
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Condition: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } },
        }),
      );
      expect(
        statelessTemplate.toJSON().Resources[logicalIdOf(stateless, stateless.functions[name])].Properties
          .Environment.Variables[INVOICE_BUCKET_ENV],
      ).toBeDefined();
    }
  });
});
