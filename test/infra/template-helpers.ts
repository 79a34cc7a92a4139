/** Reading IAM out of synthesized templates. */
import type { CfnElement, NestedStack, Stack } from 'aws-cdk-lib';
import { Template as AssertionsTemplate, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

export const actionsOf = (statement: PolicyStatement): string[] => [statement.Action].flat();
export const resourcesOf = (statement: PolicyStatement): unknown[] =>
  statement.Resource === undefined ? [] : [statement.Resource].flat();

/** The logical ID of a construct's CloudFormation resource (its default child, or itself). */
export function logicalIdOf(stack: Stack, construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return stack.getLogicalId(element);
}

/** Every statement of every identity policy (AWS::IAM::Policy) attached to the role. */
export function roleStatements(template: Template, roleLogicalId: string): PolicyStatement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties.Roles as { Ref?: string }[]).some((role) => role.Ref === roleLogicalId),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatement[]);
}

/** Every identity-policy statement in the template: policies, inline role policies, managed policies. */
export function identityStatements(template: Template): PolicyStatement[] {
  const fromPolicies = Object.values({
    ...template.findResources('AWS::IAM::Policy'),
    ...template.findResources('AWS::IAM::ManagedPolicy'),
  }).flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatement[]);
  const fromRoles = Object.values(template.findResources('AWS::IAM::Role')).flatMap((role) =>
    ((role.Properties.Policies ?? []) as { PolicyDocument: { Statement: PolicyStatement[] } }[]).flatMap(
      (policy) => policy.PolicyDocument.Statement,
    ),
  );
  return [...fromPolicies, ...fromRoles];
}

/** Every resource-policy statement in the template (key, queue, topic, bus policies). */
export function resourcePolicyStatements(template: Template): { type: string; statement: PolicyStatement }[] {
  const documents: [string, string][] = [
    ['AWS::KMS::Key', 'KeyPolicy'],
    ['AWS::SQS::QueuePolicy', 'PolicyDocument'],
    ['AWS::SNS::TopicPolicy', 'PolicyDocument'],
    ['AWS::Events::EventBusPolicy', 'Statement'],
  ];
  return documents.flatMap(([type, property]) =>
    Object.values(template.findResources(type)).flatMap((resource) => {
      const document = resource.Properties[property];
      const statements = (document?.Statement ?? [document]) as PolicyStatement[];
      return statements.filter(Boolean).map((statement) => ({ type, statement }));
    }),
  );
}

/** `*` or a whole service (`dynamodb:*`); `kms:GenerateDataKey*` is a family of one API, not a service. */
export const isServiceWildcard = (action: string): boolean =>
  action === '*' || /^[a-z0-9-]+:\*$/.test(action);

/**
 * One template of a stack and the nested stacks under it, as if the nested stacks' resources were the
 * stack's own: a nested template's `Ref` to one of its parameters is replaced by what the parent passes
 * for it, so references read as they would in one stack (`{Ref: <the authorizer's logical id>}`).
 */
export function withNestedStacks(stack: Stack, nested: readonly NestedStack[]): Template {
  const parent = AssertionsTemplate.fromStack(stack).toJSON() as { Resources: Record<string, Resource> };
  const resources: Record<string, Resource> = { ...parent.Resources };
  for (const child of nested) {
    const passed = parent.Resources[logicalIdOf(stack, child.nestedStackResource ?? child)]?.Properties
      ?.Parameters as Record<string, unknown> | undefined;
    const own = AssertionsTemplate.fromStack(child).toJSON() as { Resources: Record<string, Resource> };
    const resolve = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(resolve);
      if (value === null || typeof value !== 'object') return value;
      const ref = (value as { Ref?: unknown }).Ref;
      if (typeof ref === 'string' && Object.keys(value).length === 1 && passed?.[ref] !== undefined) {
        return passed[ref];
      }
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolve(inner)]));
    };
    for (const [id, resource] of Object.entries(own.Resources)) resources[id] = resolve(resource) as Resource;
  }
  return AssertionsTemplate.fromJSON({ ...parent, Resources: resources });
}

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  [key: string]: unknown;
}
