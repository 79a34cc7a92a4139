/**
 * Placeholders in an ASL file (statemachines/*.asl.json) are `${PascalCase}` names, resolved here in both
 * worlds (CDK and the local stack's runner): `${<Fn>FunctionArn}` is the ARN of the function named `<fn>` in
 * the function catalogue, `${EventBusName}` is the event bus.
 */
import { type FunctionName, functionNames } from './functions.js';

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
