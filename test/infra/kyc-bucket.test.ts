/**
 * The KYC documents' bucket (#16): private, on the customer-managed key, TLS only, versioned, logged, with a
 * lifecycle for abandoned uploads; and the one function that reaches it, on `kyc/*` only.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { functionNames } from '../../shared/infra/functions.js';
import { KYC_BUCKET_ENV } from '../../shared/infra/kyc-bucket.js';
import { actionsOf, logicalIdOf, roleStatements } from './template-helpers.js';
import { buildTestApp } from './test-app.js';

// Arrange (once per file: synthesis is the slow part)
const { stateful, stateless } = buildTestApp();
const template = Template.fromStack(stateful);
const statelessTemplate = Template.fromStack(stateless);
const bucketId = logicalIdOf(stateful, stateful.kycBucket);
const keyId = stateful.getLogicalId(stateful.key.node.defaultChild as CfnElement);

describe('Construct: KycBucket', () => {
  it('blocks every public access, encrypts with the service key (bucket key on), versions and logs the bucket', () => {
    expect(stateful.resolve(stateful.kycBucket.bucketName)).toEqual({ Ref: bucketId });
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
      LoggingConfiguration: { DestinationBucketName: expect.anything(), LogFilePrefix: 'kyc/' },
      LifecycleConfiguration: {
        Rules: expect.arrayContaining([
          expect.objectContaining({
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: 'Enabled',
          }),
        ]),
      },
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

  it('lets only kycDocuments write to the bucket (objects under kyc/, a list under kyc/, the key through S3), and onboarding only read', () => {
    // Act
    const reaching = functionNames.filter((name) =>
      roleStatements(statelessTemplate, logicalIdOf(stateless, stateless.functions[name].role ?? stateless))
        .filter((statement) => JSON.stringify(statement).includes('tween-payments-kyc-'))
        .flatMap(actionsOf)
        .some((action) => action.startsWith('s3:')),
    );
    const statements = roleStatements(
      statelessTemplate,
      logicalIdOf(stateless, stateless.functions.kycDocuments.role ?? stateless),
    );

    // Assert
    expect(reaching).toEqual(['kycDocuments', 'merchantOnboarding']);
    const onboardingActions = roleStatements(
      statelessTemplate,
      logicalIdOf(stateless, stateless.functions.merchantOnboarding.role ?? stateless),
    ).flatMap(actionsOf);
    expect(onboardingActions.filter((action) => action.startsWith('s3:')).sort()).toEqual([
      's3:GetObject',
      's3:ListBucket',
    ]);
    const s3Statements = statements.filter((statement) =>
      actionsOf(statement).some((a) => a.startsWith('s3:')),
    );
    expect(s3Statements).toHaveLength(2);
    expect(s3Statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: ['s3:PutObject', 's3:GetObject'],
          Resource: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':s3:::tween-payments-kyc-',
                { Ref: 'AWS::AccountId' },
                '-',
                { Ref: 'AWS::Region' },
                '/kyc/*',
              ],
            ],
          },
        }),
        expect.objectContaining({
          Action: 's3:ListBucket',
          Condition: { StringLike: { 's3:prefix': ['kyc/*'] } },
        }),
      ]),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Condition: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } },
      }),
    );
    expect(
      statelessTemplate.toJSON().Resources[logicalIdOf(stateless, stateless.functions.kycDocuments)]
        .Properties.Environment.Variables[KYC_BUCKET_ENV],
    ).toBeDefined();
  });
});
