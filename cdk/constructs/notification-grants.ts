/**
 * The notifier's and the device registration's SNS grants, as tight as SNS allows:
 * - SMS: `sns:Publish` to a phone number has no resource to scope it to (SNS authorizes it on `*`), so the
 *   grant is `*`, acknowledged alone in a policy of its own;
 * - push: `sns:Publish` on the endpoints of this service's two platform applications only, and
 *   `sns:CreatePlatformEndpoint` on those applications.
 * The platform applications (APNs, FCM) hold the platforms' credentials, so ops create them once per
 * account and region under the names of `pushApplications`; their ARNs reach the functions in
 * PUSH_APNS_APPLICATION_ARN and PUSH_FCM_APPLICATION_ARN.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PUSH_APPLICATION_ENVS } from '../../shared/adapters/sns/settings.js';
import type { PaymentsFunction } from './payments-function.js';

/** SNS's platform names in ARNs (`app/APNS/<name>`, `app/GCM/<name>` for FCM) and the applications' names. */
export const pushApplications = {
  apns: { platform: 'APNS', name: 'tween-payments-apns' },
  fcm: { platform: 'GCM', name: 'tween-payments-fcm' },
} as const;

function applicationArn(
  fn: PaymentsFunction,
  platform: keyof typeof pushApplications,
  kind: 'app' | 'endpoint',
) {
  const { platform: snsPlatform, name } = pushApplications[platform];
  return Stack.of(fn).formatArn({ service: 'sns', resource: kind, resourceName: `${snsPlatform}/${name}` });
}

function bindApplications(fn: PaymentsFunction): void {
  fn.addEnvironment(PUSH_APPLICATION_ENVS.apns, applicationArn(fn, 'apns', 'app'));
  fn.addEnvironment(PUSH_APPLICATION_ENVS.fcm, applicationArn(fn, 'fcm', 'app'));
}

export function bindSmsPublish(fn: PaymentsFunction): void {
  const role = fn.role;
  if (role === undefined) throw new Error('A catalogue function always has its own role');
  const policy = new iam.Policy(fn, 'SmsPublish', {
    roles: [role],
    statements: [new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] })],
  });
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'An SMS is sns:Publish with a PhoneNumber, which SNS authorizes on * only (a phone number is no resource); push and topics are not reached through this statement alone by design of the notifier, which publishes only to phone numbers and its own push endpoints.',
  });
}

export function bindPushPublish(fn: PaymentsFunction): void {
  bindApplications(fn);
  const role = fn.role;
  if (role === undefined) throw new Error('A catalogue function always has its own role');
  const endpoints = (['apns', 'fcm'] as const).map(
    (platform) => `${applicationArn(fn, platform, 'endpoint')}/*`,
  );
  const policy = new iam.Policy(fn, 'PushPublish', {
    roles: [role],
    statements: [new iam.PolicyStatement({ actions: ['sns:Publish'], resources: endpoints })],
  });
  for (const { platform, name } of Object.values(pushApplications))
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sns:<AWS::Region>:<AWS::AccountId>:endpoint/${platform}/${name}/*]`,
      reason:
        "A device endpoint is created per registered token under this service's platform applications; the grant is those applications' endpoints.",
    });
}

export function bindPushRegister(fn: PaymentsFunction): void {
  bindApplications(fn);
  iam.Grant.addToPrincipal({
    grantee: fn,
    actions: ['sns:CreatePlatformEndpoint'],
    resourceArns: (['apns', 'fcm'] as const).map((platform) => applicationArn(fn, platform, 'app')),
  });
}
