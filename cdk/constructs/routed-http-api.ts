/**
 * The HTTP API: one route per entry of the route table, each integrated with its catalogue function (one
 * integration per function), behind the JWT authorizer (users), the API-key Lambda authorizer (the merchant
 * API, `/v1/*`) or none (a provider webhook, or public by design); one `$default` stage with throttling (per route where the table says so) and JSON access logs.
 */
import { Duration, NestedStack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import {
  HttpJwtAuthorizer,
  HttpLambdaAuthorizer,
  HttpLambdaResponseType,
} from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName } from '../../shared/infra/functions.js';
import { type RouteDefinition, routeKey } from '../../shared/infra/routes.js';
import { pascalCase } from '../lib/naming.js';

const API_THROTTLE = { burstLimit: 200, rateLimit: 100 };
/** How long API Gateway keeps an API-key verdict (DESIGN.md: at most 60 s). */
export const API_KEY_CACHE_TTL = Duration.seconds(60);

/** What each access log line records (API Gateway's `$context` variables). */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
};

export interface RoutedHttpApiProps {
  routes: readonly RouteDefinition[];
  functions: Readonly<Record<FunctionName, lambda.IFunction>>;
  /** Issuer (`iss`) the JWT authorizer accepts. */
  jwtIssuer: string;
  /** Audience (`aud`) the JWT authorizer accepts. */
  jwtAudience: string;
  logRetention: logs.RetentionDays;
}

/**
 * Which nested stack holds a route, its integration and its function's invoke permission: the merchant side
 * (`/v1`, `/merchant`, `/ops`) or everything else. 95 routes with their integrations and permissions would
 * take the stateless stack past CloudFormation's 500 resources; a nested stack has 500 of its own.
 */
export type RouteGroup = 'merchant' | 'payer';

export function routeGroupOf(route: Pick<RouteDefinition, 'path'>): RouteGroup {
  return /^\/(v1|merchant|ops)\//.test(route.path) ? 'merchant' : 'payer';
}

export class RoutedHttpApi extends Construct {
  public readonly api: apigw.HttpApi;
  public readonly stage: apigw.HttpStage;
  /** The nested stacks of the routes, by group. */
  public readonly routeStacks: Readonly<Record<RouteGroup, NestedStack>>;

  constructor(scope: Construct, id: string, props: RoutedHttpApiProps) {
    super(scope, id);
    // 'Resource': the API is this construct's own resource, whose logical id is the construct's.
    const api = new apigw.HttpApi(this, 'Resource', {
      apiName: 'tween-payments',
      description: 'Tween Payments HTTP API',
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    const stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const jwtAuthorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, {
      jwtAudience: [props.jwtAudience],
      identitySource: ['$request.header.Authorization'],
    });
    // Simple responses, payload 2.0; it always allows and puts its verdict in the context (shared/http/
    // api-key-authorizer.ts), so a bad key is answered in our error shape. Cached per Authorization header
    // for 60 s at most: a revoked key may pass that long (README, "The merchant API").
    const apiKeyAuthorizer = new HttpLambdaAuthorizer('ApiKeyAuthorizer', props.functions.apiKeyAuthorizer, {
      authorizerName: 'api-key',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: API_KEY_CACHE_TTL,
    });
    const routeStacks: Record<RouteGroup, NestedStack> = {
      merchant: new NestedStack(this, 'MerchantRoutes', {
        description: 'Tween Payments: the merchant API routes (/v1, /merchant, /ops) and their integrations',
      }),
      payer: new NestedStack(this, 'PayerRoutes', {
        description: 'Tween Payments: the payer, provider webhook and public routes and their integrations',
      }),
    };
    // One integration per function and nested stack; it is created in the scope of its first route.
    const integrations = new Map<string, HttpLambdaIntegration>();
    const integrationFor = (group: RouteGroup, fn: FunctionName): HttpLambdaIntegration => {
      const existing = integrations.get(`${group}:${fn}`);
      if (existing) return existing;
      // One invoke permission per function for this API, not one per route: 95 routes' permissions would
      // push the stack past CloudFormation's 500 resources, and a function serves only its own routes anyway.
      const integration = new HttpLambdaIntegration(`${pascalCase(fn)}Integration`, props.functions[fn], {
        scopePermissionToRoute: false,
      });
      integrations.set(`${group}:${fn}`, integration);
      return integration;
    };

    const routeSettings: Record<string, { ThrottlingBurstLimit: number; ThrottlingRateLimit: number }> = {};
    for (const route of props.routes) {
      const group = routeGroupOf(route);
      const created = new apigw.HttpRoute(routeStacks[group], `${route.method}${route.path}`, {
        httpApi: api,
        routeKey: apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method]),
        integration: integrationFor(group, route.fn),
        authorizer:
          route.auth === 'jwt'
            ? jwtAuthorizer
            : route.auth === 'apiKey'
              ? apiKeyAuthorizer
              : new apigw.HttpNoneAuthorizer(),
      });
      if (route.auth === 'none' || route.auth === 'webhook') {
        Validations.of(created).acknowledge({ id: 'AwsSolutions-APIG4', reason: publicRouteReason(route) });
      }
      if (route.throttle) {
        routeSettings[routeKey(route)] = {
          ThrottlingBurstLimit: route.throttle.burstLimit,
          ThrottlingRateLimit: route.throttle.rateLimit,
        };
        // Route settings name the route by its key: it must exist before the stage refers to it.
        stage.node.addDependency(created);
      }
    }
    // The HttpStage construct has no per-route throttling; the stage resource does.
    if (Object.keys(routeSettings).length > 0) {
      (stage.node.defaultChild as apigw.CfnStage).routeSettings = routeSettings;
    }
    this.api = api;
    this.stage = stage;
    this.routeStacks = routeStacks;
  }
}

function publicRouteReason(route: RouteDefinition): string {
  return route.auth === 'webhook'
    ? `${routeKey(route)} is a provider webhook: the handler verifies the provider's signature instead.`
    : `${routeKey(route)} is public by design (health probe or API document) and returns no user data.`;
}
