/**
 * AWS SDK clients, created once per cold start and traced. Endpoints come from the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables, which is how the local stack points them at its engines.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { once } from '../../lazy.js';
import { tracer } from '../../observability/powertools.js';

export const dynamoDb = once(() => tracer.captureAWSv3Client(new DynamoDBClient({})));
export const documentClient = once(() =>
  DynamoDBDocumentClient.from(dynamoDb(), { marshallOptions: { removeUndefinedValues: true } }),
);
export const sqs = once(() => tracer.captureAWSv3Client(new SQSClient({})));
export const eventBridge = once(() => tracer.captureAWSv3Client(new EventBridgeClient({})));
export const stepFunctions = once(() => tracer.captureAWSv3Client(new SFNClient({})));
export const kms = once(() => tracer.captureAWSv3Client(new KMSClient({})));
