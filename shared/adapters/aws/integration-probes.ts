/** A cheap, read-only call per integration, each needing only a describe-style permission. */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeEventBusCommand } from '@aws-sdk/client-eventbridge';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { IntegrationProbe } from '../../app/ports.js';
import { dynamoDb } from './dynamodb-client.js';
import { eventBridge } from './eventbridge-client.js';
import { kms } from './kms-client.js';
import { stepFunctions } from './sfn-client.js';
import { sqs } from './sqs-client.js';

export interface ProbeTargets {
  tableName: string;
  queueUrl: string;
  eventBusName: string;
  keyId: string;
}

export function awsIntegrationProbes(targets: ProbeTargets): IntegrationProbe[] {
  return [
    {
      name: 'table',
      check: async () =>
        void (await dynamoDb().send(new DescribeTableCommand({ TableName: targets.tableName }))),
    },
    {
      name: 'queue',
      check: async () =>
        void (await sqs().send(
          new GetQueueAttributesCommand({
            QueueUrl: targets.queueUrl,
            AttributeNames: ['ApproximateNumberOfMessages'],
          }),
        )),
    },
    {
      name: 'bus',
      check: async () =>
        void (await eventBridge().send(new DescribeEventBusCommand({ Name: targets.eventBusName }))),
    },
    {
      name: 'stepFunctions',
      check: async () => void (await stepFunctions().send(new ListStateMachinesCommand({ maxResults: 1 }))),
    },
    {
      name: 'kms',
      check: async () => void (await kms().send(new DescribeKeyCommand({ KeyId: targets.keyId }))),
    },
  ];
}
