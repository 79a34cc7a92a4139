/**
 * Local-only routes that switch the stack's fault injection on and off (the Stripe server's flaky mode and
 * outage have their own routes under /local/stripe/, the homeserver's under /local/matrix/):
 *
 *   GET /local/faults/dynamodb   the DynamoDB fault proxy: rates, seed, decisions and faults injected
 *   PUT /local/faults/dynamodb   `{"rates": {"throttle"?: 0..1, "conflict"?: 0..1}, "seed"?: n}` (all 0: off)
 */
import type { LocalRequest, LocalResponse, LocalRoute } from '../http-api.js';
import type { DynamoDbFaultKind } from './dynamodb-proxy.js';
import { DYNAMODB_FAULT_KINDS } from './dynamodb-proxy.js';
import { type FaultPlan, FaultSettingsError, parseFaultSettings } from './plan.js';

export function faultRoutes(parts: { dynamoDb: FaultPlan<DynamoDbFaultKind> }): LocalRoute[] {
  return [
    (request) => {
      if (request.path !== '/local/faults/dynamodb') return undefined;
      if (request.method === 'GET') return { status: 200, body: parts.dynamoDb.snapshot() };
      if (request.method !== 'PUT') return undefined;
      return configure(parts.dynamoDb, request);
    },
  ];
}

function configure(plan: FaultPlan<DynamoDbFaultKind>, request: LocalRequest): LocalResponse {
  try {
    plan.configure(parseFaultSettings(DYNAMODB_FAULT_KINDS, parseJson(request.body)));
  } catch (error) {
    if (!(error instanceof FaultSettingsError)) throw error;
    return { status: 400, body: { error: { code: 'VALIDATION_ERROR', message: error.message } } };
  }
  return { status: 200, body: plan.snapshot() };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
