/**
 * The running local stack (started once by the global setup), used as an app or an ops person would: the
 * AWS SDK against its EventBridge, KMS and DynamoDB endpoints, the real Stripe SDK against the Stripe test
 * server, plain HTTP for the Matrix subset and the /local/ ops views. Other test files may share the stack
 * at the same time, so every test makes its own ids and reads only what it caused.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  InvalidCiphertextException,
  KMSClient,
} from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import Stripe from 'stripe';
import type { Delivery } from '../../local/eventbridge/bus.js';
import { Counters, type ResourceCounters } from '../../local/metrics.js';
import { auditEventKey } from '../../shared/adapters/dynamodb/keys.js';
import { eventBusDefinition } from '../../shared/infra/events.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { call, endpoint } from '../support/api.js';

const awsConfig = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 1,
};
const KEY_ALIAS = 'alias/tween-payments';
const MATRIX_TOKEN = 'syt_tween_local_publisher';
const STRIPE_KEY = 'sk_test_tween_local_0000000000000000';
/** Card only, so no redirect-based method needs a return_url (the API takes it; this SDK's types omit it). */
const CARD_ONLY = { payment_method_types: ['card'] };

interface EventsView {
  events: { id: string; source: string; 'detail-type': string }[];
  deliveries: Delivery[];
}

interface ErrorShape {
  error: { code: string; message: string };
}

/** Polls until `probe` answers something other than undefined, or fails after `timeoutMs`. */
async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  what = 'the condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function deliveriesOf(eventId: string): Promise<Delivery[]> {
  const view = await call<EventsView>('GET', '/local/events');
  return view.body.deliveries.filter((delivery) => delivery.eventId === eventId);
}

function delivered(eventId: string): Promise<Delivery> {
  return waitFor(
    async () => (await deliveriesOf(eventId)).find((delivery) => delivery.status === 'delivered'),
    10_000,
    `the delivery of ${eventId}`,
  );
}

describe('Stack: local', () => {
  let events: EventBridgeClient;
  let kms: KMSClient;
  let documents: DynamoDBDocumentClient;

  beforeAll(() => {
    events = new EventBridgeClient({ ...awsConfig, endpoint: endpoint('eventBridge') });
    kms = new KMSClient({ ...awsConfig, endpoint: endpoint('kms') });
    documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ ...awsConfig, endpoint: endpoint('dynamodb') }),
    );
  });

  afterAll(() => {
    events.destroy();
    kms.destroy();
    documents.destroy();
  });

  describe('Service: EventBridge', () => {
    it('stores the event in the audit log when a tween.payments event is put on the bus', async () => {
      // Arrange
      const marker = randomUUID();
      const detail = { paymentId: `pay_${marker}`, amount: 1050, currency: 'USD' };

      // Act
      const put = await events.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: eventBusDefinition.localName,
              Source: 'tween.payments',
              DetailType: 'test.happened',
              Detail: JSON.stringify(detail),
            },
          ],
        }),
      );
      const eventId = put.Entries?.[0]?.EventId ?? '';
      const delivery = await delivered(eventId);
      const stored = await documents.send(
        new GetCommand({ TableName: tableDefinition.localName, Key: auditEventKey(eventId) }),
      );

      // Assert
      expect(put.FailedEntryCount).toBe(0);
      expect(eventId).not.toBe('');
      expect(delivery).toMatchObject({ rule: 'audit-all-domain-events', target: 'eventsAudit', attempts: 1 });
      expect(stored.Item).toMatchObject({
        ...auditEventKey(eventId),
        type: 'AuditEvent',
        source: 'tween.payments',
        detailType: 'test.happened',
        detail,
      });
    });

    it('delivers nothing when the source matches no rule', async () => {
      // Arrange
      const entry = {
        EventBusName: eventBusDefinition.localName,
        Source: 'other.system',
        DetailType: 'test.happened',
        Detail: JSON.stringify({ marker: randomUUID() }),
      };

      // Act
      const put = await events.send(new PutEventsCommand({ Entries: [entry] }));
      const eventId = put.Entries?.[0]?.EventId ?? '';

      // Assert
      expect(put.FailedEntryCount).toBe(0);
      const view = await call<EventsView>('GET', '/local/events');
      expect(view.body.events.map((event) => event.id)).toContain(eventId);
      // Rules are matched while PutEvents is answered, so a delivery would already be listed.
      expect(view.body.deliveries.filter((delivery) => delivery.eventId === eventId)).toEqual([]);
    });

    it('fails only the entry whose Detail is not a JSON object when a batch mixes good and bad entries', async () => {
      // Arrange
      const good = {
        EventBusName: eventBusDefinition.localName,
        Source: 'tween.payments',
        DetailType: 'test.happened',
        Detail: JSON.stringify({ marker: randomUUID() }),
      };
      const bad = { ...good, Detail: JSON.stringify(['not', 'an', 'object']) };

      // Act
      const put = await events.send(new PutEventsCommand({ Entries: [bad, good] }));

      // Assert
      expect(put.FailedEntryCount).toBe(1);
      expect(put.Entries?.[0]).toMatchObject({ ErrorCode: 'MalformedDetail' });
      expect(put.Entries?.[0]?.EventId).toBeUndefined();
      const goodId = put.Entries?.[1]?.EventId ?? '';
      expect(goodId).not.toBe('');
      await expect(delivered(goodId)).resolves.toMatchObject({ target: 'eventsAudit' });
    });
  });

  describe('Service: KMS', () => {
    it('decrypts to the original plaintext when the same encryption context is given', async () => {
      // Arrange
      const plaintext = Buffer.from(`card-token-${randomUUID()}`, 'utf8');
      const context = { paymentId: `pay_${randomUUID()}` };

      // Act
      const encrypted = await kms.send(
        new EncryptCommand({ KeyId: KEY_ALIAS, Plaintext: plaintext, EncryptionContext: context }),
      );
      const decrypted = await kms.send(
        new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context }),
      );

      // Assert
      expect(encrypted.CiphertextBlob).toBeDefined();
      expect(Buffer.from(encrypted.CiphertextBlob ?? new Uint8Array()).equals(plaintext)).toBe(false);
      expect(Buffer.from(decrypted.Plaintext ?? new Uint8Array()).equals(plaintext)).toBe(true);
      expect(decrypted.KeyId).toBe(encrypted.KeyId);
    });

    it('refuses to decrypt when the encryption context differs', async () => {
      // Arrange
      const encrypted = await kms.send(
        new EncryptCommand({
          KeyId: KEY_ALIAS,
          Plaintext: Buffer.from('secret', 'utf8'),
          EncryptionContext: { paymentId: 'pay_a' },
        }),
      );

      // Act
      const decrypting = kms.send(
        new DecryptCommand({
          CiphertextBlob: encrypted.CiphertextBlob,
          EncryptionContext: { paymentId: 'pay_b' },
        }),
      );

      // Assert
      await expect(decrypting).rejects.toBeInstanceOf(InvalidCiphertextException);
    });

    it('returns a 32-byte data key and its ciphertext when GenerateDataKey asks for AES_256', async () => {
      // Arrange
      const context = { purpose: 'wallet-export' };

      // Act
      const dataKey = await kms.send(
        new GenerateDataKeyCommand({ KeyId: KEY_ALIAS, KeySpec: 'AES_256', EncryptionContext: context }),
      );
      const unwrapped = await kms.send(
        new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: context }),
      );

      // Assert
      expect(dataKey.Plaintext).toHaveLength(32);
      expect(Buffer.from(unwrapped.Plaintext ?? new Uint8Array())).toEqual(
        Buffer.from(dataKey.Plaintext ?? new Uint8Array()),
      );
    });

    it('describes an enabled symmetric key when DescribeKey names the service alias', async () => {
      // Act
      const described = await kms.send(new DescribeKeyCommand({ KeyId: KEY_ALIAS }));

      // Assert
      expect(described.KeyMetadata).toMatchObject({
        Enabled: true,
        KeyState: 'Enabled',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeySpec: 'SYMMETRIC_DEFAULT',
      });
      expect(described.KeyMetadata?.Arn).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\/.+$/);
      expect(described.KeyMetadata?.Arn).toContain(described.KeyMetadata?.KeyId ?? 'no key id');
    });
  });

  describe('Service: Matrix homeserver', () => {
    const userId = '@alice:tween.example';
    let roomId: string;
    let roomPath: string;

    beforeEach(() => {
      roomId = `!room1-${randomUUID()}:tween.example`;
      roomPath = encodeURIComponent(roomId);
    });

    async function join(): Promise<void> {
      const joined = await call(
        'PUT',
        `/local/matrix/rooms/${roomPath}/members/${encodeURIComponent(userId)}`,
      );
      expect(joined).toMatchObject({ status: 200, body: { room_id: roomId } });
    }

    it('lists the member when a user has joined the room', async () => {
      // Arrange
      await join();

      // Act
      const members = await call('GET', `/_matrix/client/v3/rooms/${roomPath}/joined_members`, {
        token: MATRIX_TOKEN,
      });

      // Assert
      expect(members.status).toBe(200);
      expect(members.body).toEqual({ joined: { [userId]: { display_name: null, avatar_url: null } } });
    });

    it('records one event when the same transaction is sent twice', async () => {
      // Arrange
      await join();
      const path = `/_matrix/client/v3/rooms/${roomPath}/send/m.tween.test/txn-${randomUUID()}`;
      const content = { body: 'Payment received', amount: 1050 };

      // Act
      const first = await call<{ event_id: string }>('PUT', path, { token: MATRIX_TOKEN, body: content });
      const retried = await call<{ event_id: string }>('PUT', path, { token: MATRIX_TOKEN, body: content });
      const sent = await call<{ events: { event_id: string; type: string; content: unknown }[] }>(
        'GET',
        `/local/matrix/rooms/${roomPath}/events`,
      );

      // Assert
      expect(first.status).toBe(200);
      expect(retried).toMatchObject({ status: 200, body: { event_id: first.body.event_id } });
      expect(sent.body.events).toHaveLength(1);
      expect(sent.body.events[0]).toMatchObject({
        event_id: first.body.event_id,
        type: 'm.tween.test',
        content,
      });
    });

    it('answers 401 with an errcode when no access token is sent', async () => {
      // Arrange
      await join();

      // Act
      const answer = await call('PUT', `/_matrix/client/v3/rooms/${roomPath}/send/m.tween.test/txn-1`, {
        body: { body: 'hello' },
      });

      // Assert
      expect(answer).toMatchObject({
        status: 401,
        body: { errcode: 'M_MISSING_TOKEN', error: expect.any(String) },
      });
      const sent = await call<{ events: unknown[] }>('GET', `/local/matrix/rooms/${roomPath}/events`);
      expect(sent.body.events).toEqual([]);
    });
  });

  describe('Service: Stripe test server', () => {
    it('succeeds a card PaymentIntent when it is confirmed with pm_card_visa', async () => {
      // Arrange
      const url = new URL(endpoint('stripe'));
      const stripe = new Stripe(STRIPE_KEY, {
        host: url.hostname,
        port: Number(url.port),
        protocol: 'http',
        maxNetworkRetries: 0,
      });

      const params: Stripe.PaymentIntentCreateParams = {
        amount: 1050,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        ...CARD_ONLY,
      };

      // Act
      const intent = await stripe.paymentIntents.create(params);

      // Assert
      expect(intent).toMatchObject({
        object: 'payment_intent',
        status: 'succeeded',
        amount: 1050,
        currency: 'usd',
      });
      expect(intent.id).toMatch(/^pi_/);
    });
  });

  describe('Service: resource counters', () => {
    it('returns every counter as a number when GET /local/metrics is called', async () => {
      // Act
      const metrics = await call<Record<string, unknown>>('GET', '/local/metrics');

      // Assert
      expect(metrics.status).toBe(200);
      expect(Object.keys(metrics.body).sort()).toEqual(Object.keys(new Counters().snapshot()).sort());
      for (const value of Object.values(metrics.body)) expect(typeof value).toBe('number');
    });

    /**
     * Other files may hit (or reset) the same stack meanwhile, so exact values cannot be relied on: the
     * counters are made clearly non-zero first, so that a reset shows as a drop and the health check as at
     * least 1. A round disturbed by someone else's reset or burst is measured again, a few times at most.
     */
    const OWN_REQUESTS = 20;

    async function measureAroundReset() {
      await Promise.all(Array.from({ length: OWN_REQUESTS }, () => call('GET', '/health')));
      const before = await call<ResourceCounters>('GET', '/local/metrics');
      const reset = await call('DELETE', '/local/metrics');
      const health = await call('GET', '/health');
      const after = await call<ResourceCounters>('GET', '/local/metrics');
      return { before: before.body, reset, health, after: after.body };
    }

    function undisturbed({ before, after }: { before: ResourceCounters; after: ResourceCounters }): boolean {
      return (
        before.apiRequests >= OWN_REQUESTS &&
        after.apiRequests >= 1 &&
        after.lambdaInvocations >= 1 &&
        after.apiRequests < before.apiRequests &&
        after.lambdaInvocations < before.lambdaInvocations
      );
    }

    it('starts again from zero and counts the health check when DELETE /local/metrics resets them', async () => {
      // Arrange
      let measured = await measureAroundReset();

      // Act
      for (let attempt = 1; attempt < 5 && !undisturbed(measured); attempt += 1) {
        measured = await measureAroundReset();
      }

      // Assert
      const { before, reset, health, after } = measured;
      expect(reset.status).toBe(204);
      expect(reset.body).toBeUndefined();
      expect(health.status).toBe(200);
      expect(before.apiRequests).toBeGreaterThanOrEqual(OWN_REQUESTS);
      expect(before.lambdaInvocations).toBeGreaterThanOrEqual(OWN_REQUESTS);
      expect(after.apiRequests).toBeGreaterThanOrEqual(1);
      expect(after.lambdaInvocations).toBeGreaterThanOrEqual(1);
      expect(after.apiRequests).toBeLessThan(before.apiRequests);
      expect(after.lambdaInvocations).toBeLessThan(before.lambdaInvocations);
    });
  });

  describe('Service: Step Functions ops views', () => {
    it('lists executions when GET /local/executions is called', async () => {
      // Act
      const answer = await call<{ executions: unknown }>('GET', '/local/executions');

      // Assert
      expect(answer.status).toBe(200);
      expect(Array.isArray(answer.body.executions)).toBe(true);
    });

    it('answers 404 in the error shape when the execution does not exist', async () => {
      // Act
      const answer = await call<ErrorShape>('GET', '/local/executions/nope');

      // Assert
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    });
  });
});
