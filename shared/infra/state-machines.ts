/**
 * Step Functions (Standard) state machines. The ASL files are the single definition: CDK deploys them with
 * `DefinitionBody.fromFile` plus substitutions, the local stack runs the very same files.
 *
 * Placeholders in an ASL file are `${PascalCase}` names, resolved by `resolvePlaceholder` below in both
 * worlds: `${<Fn>FunctionArn}` is the ARN of the function named `<fn>` in the function catalogue,
 * `${EventBusName}` is the event bus.
 */
import { type FunctionName, functionNames } from './functions.js';

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
} as const satisfies Record<string, StateMachineDefinition>;

export type StateMachineName = keyof typeof stateMachines;
export const stateMachineNames = Object.keys(stateMachines) as StateMachineName[];

export type Placeholder = { kind: 'functionArn'; fn: FunctionName } | { kind: 'eventBusName' };

const PLACEHOLDER = /\$\{([A-Za-z0-9]+)\}/g;

/** Every `${Name}` placeholder used in an ASL text, once each. */
export function placeholdersOf(aslText: string): string[] {
  return [...new Set([...aslText.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

export function resolvePlaceholder(
  name: string,
  knownFunctions: readonly string[] = functionNames,
): Placeholder {
  if (name === 'EventBusName') return { kind: 'eventBusName' };
  const fnMatch = /^([A-Z][A-Za-z0-9]*)FunctionArn$/.exec(name);
  if (fnMatch?.[1]) {
    const fn = fnMatch[1].charAt(0).toLowerCase() + fnMatch[1].slice(1);
    if (knownFunctions.includes(fn)) return { kind: 'functionArn', fn: fn as FunctionName };
  }
  throw new Error(
    `Unknown ASL placeholder \${${name}}: expected \${<Function>FunctionArn} or \${EventBusName}`,
  );
}

/** Replaces every placeholder with the value `resolveValue` gives for it. */
export function substitute(
  aslText: string,
  resolveValue: (placeholder: Placeholder, name: string) => string,
  knownFunctions: readonly string[] = functionNames,
): string {
  return aslText.replace(PLACEHOLDER, (_, name: string) =>
    resolveValue(resolvePlaceholder(name, knownFunctions), name),
  );
}
