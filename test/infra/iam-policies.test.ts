import { Template } from 'aws-cdk-lib/assertions';
import {
  actionsOf,
  identityStatements,
  isServiceWildcard,
  resourcePolicyStatements,
  resourcesOf,
} from './template-helpers.js';
import { buildTestApp } from './test-app.js';

/**
 * The only actions that may be granted on Resource "*": AWS offers no resource-level permission for them.
 * Anything else on "*" is a grant someone forgot to scope.
 */
const UNSCOPABLE_ACTIONS = new Set([
  // healthIntegrations lists state machines
  'states:ListStateMachines',
  // the table stream's consumer (the grant of its event source mapping): listing streams is account-wide
  'dynamodb:ListStreams',
  // answering callback tasks: a task token of a service integration cannot be scoped by IAM
  'states:SendTaskSuccess',
  'states:SendTaskFailure',
  'states:SendTaskHeartbeat',
  // the notifier's SMS: Publish to a PhoneNumber has no resource (cdk/constructs/notification-grants.ts)
  'sns:Publish',
  // active tracing (functions and state machines)
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  // Step Functions delivering its execution logs to CloudWatch Logs
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

// Arrange (once per file: synthesis is the slow part)
const { stateful, stateless } = buildTestApp();
const templates = [Template.fromStack(stateful), Template.fromStack(stateless)];
const identity = templates.flatMap(identityStatements);
const resourcePolicies = templates.flatMap(resourcePolicyStatements);

describe('Policies: IAM in both stacks', () => {
  it('finds identity policies to check', () => {
    // Assert: a vacuous pass would hide a broken helper
    expect(identity.length).toBeGreaterThan(0);
    expect(resourcePolicies.length).toBeGreaterThan(0);
  });

  it('grants no `*` or `service:*` action in any identity policy', () => {
    // Act
    const wildcards = identity.flatMap(actionsOf).filter(isServiceWildcard);

    // Assert
    expect(wildcards).toEqual([]);
  });

  it('grants on Resource "*" only the actions that have no resource-level permissions', () => {
    // Act
    const onStar = identity
      .filter((statement) => statement.Effect === 'Allow' && resourcesOf(statement).includes('*'))
      .flatMap(actionsOf);

    // Assert
    expect(onStar.filter((action) => !UNSCOPABLE_ACTIONS.has(action))).toEqual([]);
    expect(onStar).toContain('states:ListStateMachines');
    expect(onStar).toContain('xray:PutTraceSegments');
  });

  it('allows no `service:*` in resource policies but the key policies that delegate each key to account IAM', () => {
    // Act
    const wildcardAllows = resourcePolicies.filter(
      ({ statement }) => statement.Effect === 'Allow' && actionsOf(statement).some(isServiceWildcard),
    );

    // Assert: the one exception is AWS's default key policy (account root) of each key (data, MFA secrets),
    // which lets IAM policies like the scoped ones above grant use of the key; it grants nothing to any other
    // principal.
    expect(wildcardAllows).toHaveLength(2);
    for (const keyAdmin of wildcardAllows) {
      expect(keyAdmin.type).toBe('AWS::KMS::Key');
      expect(JSON.stringify(keyAdmin.statement.Principal)).toMatch(/:root"/);
    }
  });
});
