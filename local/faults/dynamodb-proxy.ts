/**
 * Fault injection in front of DynamoDB Local, on the functions' path only: the stack's DynamoDB proxy
 * (local/dynamodb.ts) serves the functions (their AWS_ENDPOINT_URL_DYNAMODB) on a listener of its own that
 * asks `intercept` first; tests and the stack's own clients use the other listener and never see a fault.
 * Switched on at run time (`PUT /local/faults/dynamodb`), it answers a seeded fraction of requests as
 * DynamoDB does under pressure, without forwarding them:
 * - `throttle`: any request, HTTP 400 `ProvisionedThroughputExceededException` (the SDK retries it);
 * - `conflict`: TransactWriteItems only, HTTP 400 `TransactionCanceledException` whose cancellation
 *   reasons name one item `TransactionConflict` and the others `None`, as when another transaction holds
 *   an item (the adapters retry it; shared/adapters/dynamodb/conflicts.ts).
 * Switched off (the default) it costs one comparison per request: no extra hop, nothing buffered.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { FaultPlan } from './plan.js';

export const DYNAMODB_FAULT_KINDS = ['throttle', 'conflict'] as const;
export type DynamoDbFaultKind = (typeof DYNAMODB_FAULT_KINDS)[number];

const ERROR_PREFIX = 'com.amazonaws.dynamodb.v20120810#';
const THROTTLE_MESSAGE =
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';

export class DynamoDbFaults {
  readonly plan = new FaultPlan<DynamoDbFaultKind>(DYNAMODB_FAULT_KINDS);

  /** Answers the request with a fault when one is drawn (true); false: the caller forwards it. */
  intercept(req: IncomingMessage, res: ServerResponse): boolean {
    if (!this.plan.enabled) return false;
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const fault = this.plan.draw((kind) => kind === 'throttle' || operation === 'TransactWriteItems');
    if (fault === undefined) return false;
    void answerWith(fault, req, res);
    return true;
  }
}

async function answerWith(
  fault: DynamoDbFaultKind,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const body =
    fault === 'throttle'
      ? { __type: `${ERROR_PREFIX}ProvisionedThroughputExceededException`, message: THROTTLE_MESSAGE }
      : transactionConflict(itemCount(Buffer.concat(chunks)));
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(400, {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': payload.length,
    'x-amzn-RequestId': randomUUID().replaceAll('-', '').toUpperCase(),
    // DynamoDB signs every answer's bytes with a CRC32 the SDK may check.
    'x-amz-crc32': String(crc32(payload)),
  });
  res.end(payload);
}

/** A cancellation naming one item (the last: often the account under contention) as in conflict. */
export function transactionConflict(items: number): Record<string, unknown> {
  const count = Math.max(1, items);
  const codes = Array.from({ length: count }, (_, index) =>
    index === count - 1 ? 'TransactionConflict' : 'None',
  );
  return {
    __type: `${ERROR_PREFIX}TransactionCanceledException`,
    CancellationReasons: codes.map((code) =>
      code === 'None' ? { Code: code } : { Code: code, Message: 'Transaction is ongoing for the item' },
    ),
    Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
  };
}

function itemCount(body: Buffer): number {
  try {
    const request = JSON.parse(body.toString('utf8')) as { TransactItems?: unknown };
    return Array.isArray(request.TransactItems) ? request.TransactItems.length : 1;
  } catch {
    return 1;
  }
}
