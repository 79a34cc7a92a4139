import type { OperationDoc } from '../operations.js';
import { StepUpTokenHeader } from '../schemas/mfa.js';
import { InitiateRequest, P2pTransferResponse, TransferIdParams } from '../schemas/p2p.js';

const decision = (operationId: string, description: string): OperationDoc => ({
  operationId,
  request: { params: TransferIdParams },
  responses: {
    200: { description, schema: P2pTransferResponse },
    403: { description: 'FORBIDDEN: the other party decides this' },
    404: { description: 'NOT_FOUND: not a transfer of the caller' },
    409: { description: 'INVALID_STATE_TRANSITION: another decision was taken, or the transfer expired' },
  },
});

const HOMESERVER = {
  DEPENDENCY_UNAVAILABLE: 'the homeserver did not answer who is in the room; retry with the same key',
} as const;

/** The P2P transfer routes. */
export const p2pOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /wallet/v1/p2p/initiate': {
    operationId: 'initiateTransfer',
    request: { body: InitiateRequest },
    responses: {
      201: {
        description: 'The transfer, pending the recipient; the amount is reserved',
        schema: P2pTransferResponse,
      },
      402: { description: 'INSUFFICIENT_FUNDS' },
      403: { description: 'NOT_ROOM_MEMBER: both users must be joined members of room_id' },
      428: {
        description:
          'STEP_UP_REQUIRED: above the MFA threshold (MFA_THRESHOLDS, amount strictly above) send X-Step-Up-Token, a step-up of purpose transfer for exactly this amount and currency (POST it to the absolute details.challengeUrl). Like every 4xx this answer is kept under the Idempotency-Key: retry with the token and a new key',
      },
      503: {
        description: 'DEPENDENCY_UNAVAILABLE: the Matrix homeserver did not answer; retry with the same key',
      },
    },
    errors: HOMESERVER,
    headers: [StepUpTokenHeader],
  },
  'GET /wallet/v1/p2p/{transferId}': {
    operationId: 'getTransfer',
    request: { params: TransferIdParams },
    responses: {
      200: { description: 'The transfer (sender or recipient only)', schema: P2pTransferResponse },
      404: { description: 'NOT_FOUND' },
    },
  },
  'POST /wallet/v1/p2p/{transferId}/accept': decision(
    'acceptTransfer',
    'Accepted: the money moved to the recipient',
  ),
  'POST /wallet/v1/p2p/{transferId}/reject': decision(
    'rejectTransfer',
    'Rejected: the money went back to the sender',
  ),
  'POST /wallet/v1/p2p/{transferId}/cancel': decision(
    'cancelTransfer',
    'Cancelled by the sender: the money went back',
  ),
};
