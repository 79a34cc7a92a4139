/**
 * SMS and mobile push through SNS: `Publish` with `PhoneNumber` (a transactional SMS), `Publish` with a
 * `TargetArn` (a device's platform endpoint), and `CreatePlatformEndpoint` for a registered device token.
 * A failure is DEPENDENCY_UNAVAILABLE: nothing was sent, and the notifier tries again later.
 */
import { CreatePlatformEndpointCommand, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { DevicePlatform, PushRegistry, PushSender, SmsSender } from '../../app/notifications/ports.js';
import { DependencyUnavailableError } from '../../domain/errors.js';

export class SnsSms implements SmsSender {
  constructor(private readonly client: SNSClient) {}

  async send(to: string, text: string): Promise<void> {
    await unavailableOnError('SMS service', () =>
      this.client.send(
        new PublishCommand({
          PhoneNumber: to,
          Message: text,
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          },
        }),
      ),
    );
  }
}

export class SnsPush implements PushSender, PushRegistry {
  constructor(
    private readonly client: SNSClient,
    /** The SNS platform application of each platform (APNs, FCM). */
    private readonly applications: Readonly<Record<DevicePlatform, string>>,
  ) {}

  async send(endpoint: string, title: string, body: string): Promise<void> {
    const message = JSON.stringify({
      default: body,
      APNS: JSON.stringify({ aps: { alert: { title, body } } }),
      GCM: JSON.stringify({ notification: { title, body } }),
    });
    await unavailableOnError('push service', () =>
      this.client.send(
        new PublishCommand({ TargetArn: endpoint, Message: message, MessageStructure: 'json' }),
      ),
    );
  }

  async register(platform: DevicePlatform, token: string): Promise<string> {
    const answer = await unavailableOnError('push service', () =>
      this.client.send(
        new CreatePlatformEndpointCommand({
          PlatformApplicationArn: this.applications[platform],
          Token: token,
        }),
      ),
    );
    if (answer.EndpointArn === undefined) throw new DependencyUnavailableError('push service');
    return answer.EndpointArn;
  }
}

async function unavailableOnError<T>(service: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new DependencyUnavailableError(service, { cause: error });
  }
}
