/**
 * Step Functions (Standard) state machines. The ASL files are the single definition: CDK deploys them with
 * `DefinitionBody.fromFile` plus substitutions, the local stack runs the very same files; their placeholders
 * are resolved by asl-placeholders.ts. This module is the catalogue alone, which the functions read at run
 * time (each machine's ARN variable), so it imports nothing: the function catalogue stays out of their
 * bundles.
 */

export interface StateMachineDefinition {
  /** Path of the ASL file from the repository root. */
  file: string;
  /** Environment variable through which functions learn the state machine ARN. */
  arnEnv: string;
}

export const stateMachines = {
  payment: { file: 'statemachines/payment.asl.json', arnEnv: 'PAYMENT_STATE_MACHINE_ARN' },
  p2pTransfer: { file: 'statemachines/p2p-transfer.asl.json', arnEnv: 'P2P_STATE_MACHINE_ARN' },
  groupGift: { file: 'statemachines/group-gift.asl.json', arnEnv: 'GIFT_STATE_MACHINE_ARN' },
  paymentIntentCapture: {
    file: 'statemachines/payment-intent-capture.asl.json',
    arnEnv: 'PAYMENT_INTENT_CAPTURE_STATE_MACHINE_ARN',
  },
  merchantOnboarding: {
    file: 'statemachines/merchant-onboarding.asl.json',
    arnEnv: 'ONBOARDING_STATE_MACHINE_ARN',
  },
  payout: { file: 'statemachines/payout.asl.json', arnEnv: 'PAYOUT_STATE_MACHINE_ARN' },
} as const satisfies Record<string, StateMachineDefinition>;

export type StateMachineName = keyof typeof stateMachines;
export const stateMachineNames = Object.keys(stateMachines) as StateMachineName[];
