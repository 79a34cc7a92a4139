/**
 * The app the infra tests synthesize: the real one (same `buildApp`, context from cdk.json), with bundling
 * skipped and with fixture routes and a fixture state machine added, so that the JWT authorizer, webhook routes
 * and state machines are exercised before the route table and the catalogue have them.
 */
import { readFileSync } from 'node:fs';
import { type BuildAppOptions, buildApp, type TweenPaymentsApp } from '../../cdk/lib/app.js';
import { type RouteDefinition, routes } from '../../shared/infra/routes.js';
import { type StateMachineDefinition, stateMachines } from '../../shared/infra/state-machines.js';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

/** Context exactly as the CLI would pass it from cdk.json. */
export const cdkContext = cdkJson.context;

export const fixtureRoutes: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/infra-fixture/v1/user/{userId}/balance',
    fn: 'health',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'Fixture: a route that needs a bearer token',
    tags: ['fixture'],
  },
  {
    method: 'POST',
    path: '/infra-fixture/v1/payments/request',
    fn: 'healthIntegrations',
    auth: 'jwt',
    idempotency: 'required',
    summary: 'Fixture: a money-moving route',
    tags: ['fixture'],
  },
  {
    method: 'POST',
    path: '/infra-fixture/webhooks/{provider}',
    fn: 'health',
    auth: 'webhook',
    idempotency: 'none',
    rawBody: true,
    summary: 'Fixture: a provider webhook',
    tags: ['fixture'],
  },
];

export const fixtureStateMachines: Readonly<Record<string, StateMachineDefinition>> = {
  infraHealthCheck: {
    file: 'test/infra/fixtures/health-check.asl.json',
    arnEnv: 'INFRA_HEALTH_CHECK_STATE_MACHINE_ARN',
  },
};

export const testRoutes: readonly RouteDefinition[] = [...routes, ...fixtureRoutes];
export const testStateMachines: Readonly<Record<string, StateMachineDefinition>> = {
  ...stateMachines,
  ...fixtureStateMachines,
};

export function buildTestApp(
  options: Pick<BuildAppOptions, 'cloudFormationValidation'> = {},
): TweenPaymentsApp {
  return buildApp({
    // An empty list of bundling stacks: functions get a placeholder asset and esbuild never runs.
    context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] },
    routes: testRoutes,
    stateMachines: testStateMachines,
    cloudFormationValidation: options.cloudFormationValidation ?? false,
  });
}
