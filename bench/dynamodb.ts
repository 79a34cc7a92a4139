/** The benchmark's own DynamoDB clients, for the calls it makes itself (raw baselines, seeding). */
import { Agent } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Like the handlers' client (default retries), with enough sockets for the highest concurrency. */
export function lowLevelClient(endpoint: string, maxSockets: number): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets }) },
  });
}
