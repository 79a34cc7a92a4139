import { CreatePlatformEndpointCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { type LocalSns, snsRoutes, startSns } from '../../../local/sns.js';
import { SnsPush, SnsSms } from '../../../shared/adapters/sns/sns-channels.js';
import { DependencyUnavailableError } from '../../../shared/domain/errors.js';

let sns: LocalSns;
let client: SNSClient;

beforeAll(async () => {
  sns = await startSns();
  client = new SNSClient({
    endpoint: sns.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await sns.close();
});

afterEach(() => {
  sns.outage = 'none';
});

async function read(path: string) {
  const [sms, outage] = snsRoutes(sns);
  const request = { method: 'GET', path, query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) };
  return (await sms?.(request)) ?? (await outage?.(request));
}

describe('Local: SNS stand-in', () => {
  it('takes an SMS from the real SNS client and lists it at /local/sms', async () => {
    // Act
    await new SnsSms(client).send('+15555550199', 'Payment declined');

    // Assert
    expect(await read('/local/sms')).toMatchObject({
      status: 200,
      body: { data: [expect.objectContaining({ to: '+15555550199', text: 'Payment declined' })] },
    });
  });

  it('gives one endpoint per token and delivers a push to it, listed at /local/push', async () => {
    // Arrange
    const push = new SnsPush(client, sns.applications);

    // Act
    const first = await push.register('apns', 'token-1');
    const again = await push.register('apns', 'token-1');
    await push.send(first, 'Payout paid', '$200.00 reached your bank');

    // Assert
    expect(again).toBe(first);
    expect(first).toMatch(/^arn:aws:sns:us-east-1:000000000000:endpoint\/APNS\/tween-payments-apns\//);
    expect(await read('/local/push')).toMatchObject({
      body: { data: [{ to: first, title: 'Payout paid', text: '$200.00 reached your bank' }] },
    });
  });

  it('refuses an unknown endpoint, an invalid phone number and an unknown platform application', async () => {
    // Act & Assert
    await expect(
      client.send(
        new PublishCommand({ TargetArn: 'arn:aws:sns:us-east-1:0:endpoint/APNS/x/y', Message: 'x' }),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(client.send(new PublishCommand({ PhoneNumber: '555', Message: 'x' }))).rejects.toMatchObject(
      { name: 'InvalidParameterException' },
    );
    await expect(
      client.send(
        new CreatePlatformEndpointCommand({
          PlatformApplicationArn: 'arn:aws:sns:us-east-1:0:app/GCM/other',
          Token: 't',
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it.each(['unreachable', 'throttled'] as const)(
    'fails every send with DEPENDENCY_UNAVAILABLE while %s',
    async (mode) => {
      // Arrange
      sns.outage = mode;

      // Act & Assert
      await expect(new SnsSms(client).send('+15555550100', 'x')).rejects.toBeInstanceOf(
        DependencyUnavailableError,
      );
    },
  );
});
