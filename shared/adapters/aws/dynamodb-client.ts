/**
 * The DynamoDB client and its document client, created once per cold start on first use. The endpoint comes
 * from the standard AWS_ENDPOINT_URL_DYNAMODB variable (how the local stack points it at its engine). One
 * module per client, so a function bundles only the clients it calls. Each client passes through `traced`:
 * captured as X-Ray subsegments only in the functions that trace (observability/trace-hooks.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { once } from '../../lazy.js';
import { traced } from '../../observability/trace-hooks.js';

export const dynamoDb = once(() => traced(new DynamoDBClient({})));
export const documentClient = once(() =>
  DynamoDBDocumentClient.from(dynamoDb(), { marshallOptions: { removeUndefinedValues: true } }),
);
