/**
 * The delivery use case (shared/app/webhook-delivery/deliver.ts) over in-memory ports: what it skips, the
 * order per object, the signed body, the schedule, the twin worker that loses quietly, resends, and the
 * 5-day rule with the owner's email.
 */
import { Webhook } from 'standardwebhooks';
import { standardWebhookSigner } from '../../../../shared/adapters/webhook-delivery/signer.js';
import { type DeliverDeps, deliverWebhook } from '../../../../shared/app/webhook-delivery/deliver.js';
import type { DeliveryTask } from '../../../../shared/app/webhook-delivery/ports.js';
import type { WebhookEndpoint, WebhookEvent } from '../../../../shared/domain/webhook-events.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { merchant } from '../../../support/fakes/merchants.js';
import { InMemoryMerchants, RecordingMailer } from '../../../support/fakes/onboarding.js';
import {
  answered,
  InMemoryDeliveryStore,
  noAnswer,
  RecordingRetries,
  ScriptedSender,
} from '../../../support/fakes/webhook-delivery.js';

const NOW = '2026-12-07T10:00:00.000Z';

const endpoint = (overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  id: 'we_1',
  merchantId: 'mch_1',
  mode: 'test',
  url: 'https://hooks.example.com/tween',
  enabledEvents: ['*'],
  status: 'enabled',
  created: 0,
  ...overrides,
});

const event = (id: string, sequence = 1, objectId = 're_1'): WebhookEvent => ({
  id,
  merchantId: 'mch_1',
  mode: 'test',
  type: sequence === 1 ? 'refund.created' : 'refund.updated',
  created: 1_765_000_000 + sequence,
  objectId,
  sequence,
  data: { object: { id: objectId, object: 'refund', status: 'pending' } },
});

const task = (eventId: string, extra: Partial<DeliveryTask> = {}): DeliveryTask => ({
  merchantId: 'mch_1',
  mode: 'test',
  endpointId: 'we_1',
  eventId,
  ...extra,
});

function setup(
  options: { script?: ReturnType<typeof answered>[]; endpoint?: Partial<WebhookEndpoint> } = {},
) {
  const store = new InMemoryDeliveryStore().addEndpoint(endpoint(options.endpoint)).addEvent(event('evt_1'));
  const sender = new ScriptedSender(options.script);
  const retries = new RecordingRetries();
  const clock = fixedClock(NOW);
  const merchants = new InMemoryMerchants();
  merchants.items.set('mch_1', merchant('mch_1'));
  const mailer = new RecordingMailer();
  const deps: DeliverDeps = {
    store,
    signer: standardWebhookSigner,
    sender,
    retries,
    clock,
    merchants,
    mailer,
    settings: { schedule: [5, 300, 1_800], disableAfterSeconds: 5 * 86_400 },
  };
  return { store, sender, retries, clock, mailer, deps };
}

describe('Use case: deliverWebhook', () => {
  it('sends the signed payload of API.md and records a success', async () => {
    const { store, sender, deps } = setup();

    const result = await deliverWebhook(task('evt_1'), deps);

    expect(result).toEqual({ outcome: 'succeeded', attempt: 1 });
    const [sent] = sender.sent;
    expect(sent?.url).toBe('https://hooks.example.com/tween');
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      id: 'evt_1',
      type: 'refund.created',
      created: 1_765_000_001,
      livemode: false,
      data: { object: { id: 're_1', object: 'refund', status: 'pending' } },
    });
    const secret = await store.signingSecret(endpoint());
    // Signed at the attempt's time with the endpoint's secret (the clock is fixed in the past, so the
    // verifier's freshness window is checked by the signer's own test instead).
    const signature = new Webhook(secret).sign('evt_1', new Date(NOW), sent?.body ?? '');
    expect(sent?.headers).toMatchObject({
      'webhook-signature': signature,
      'webhook-timestamp': String(Date.parse(NOW) / 1000),
    });
    expect(sent?.headers['webhook-id']).toBe('evt_1');
    expect(store.attempts).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: 200, attemptedAt: NOW, eventId: 'evt_1' }),
    ]);
    expect(store.attempts[0]).not.toHaveProperty('nextAttemptAt');
    expect(await store.delivery(task('evt_1'))).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('skips an endpoint that is gone or disabled, and an event that is gone, sending nothing', async () => {
    const gone = setup();
    gone.store.endpoints.clear();
    expect(await deliverWebhook(task('evt_1'), gone.deps)).toEqual({ outcome: 'gone' });

    const disabled = setup({ endpoint: { status: 'disabled', disabledReason: 'owner' } });
    expect(await deliverWebhook(task('evt_1'), disabled.deps)).toEqual({ outcome: 'disabled' });

    const noEvent = setup();
    expect(await deliverWebhook(task('evt_missing'), noEvent.deps)).toEqual({ outcome: 'gone' });
    expect([...gone.sender.sent, ...disabled.sender.sent, ...noEvent.sender.sent]).toHaveLength(0);
  });

  it('does not send again what the endpoint acknowledged, unless it is a resend', async () => {
    const { sender, store, retries, deps } = setup();
    await deliverWebhook(task('evt_1'), deps);

    expect(await deliverWebhook(task('evt_1'), deps)).toEqual({ outcome: 'done_before' });
    expect(sender.sent).toHaveLength(1);

    expect(await deliverWebhook(task('evt_1', { resend: true }), deps)).toEqual({
      outcome: 'succeeded',
      attempt: 2,
    });
    expect(sender.sent).toHaveLength(2);
    expect(store.attempts.map((attempt) => attempt.attempt)).toEqual([1, 2]);
    expect(retries.scheduled).toHaveLength(0);
  });

  it('retries a failure on the schedule, then gives the delivery up as failed', async () => {
    const { store, retries, clock, deps } = setup({ script: [answered(500), noAnswer(), answered(302)] });
    store.addEvent(event('evt_1'));

    const first = await deliverWebhook(task('evt_1'), deps);
    expect(first).toEqual({ outcome: 'retrying', attempt: 1, at: new Date('2026-12-07T10:00:05.000Z') });
    expect(retries.scheduled).toEqual([{ task: task('evt_1'), at: new Date('2026-12-07T10:00:05.000Z') }]);
    expect(store.attempts[0]).toMatchObject({ statusCode: 500, nextAttemptAt: '2026-12-07T10:00:05.000Z' });

    clock.advance(5_000);
    expect(await deliverWebhook(task('evt_1'), deps)).toMatchObject({ outcome: 'retrying', attempt: 2 });
    expect(store.attempts[1]).toMatchObject({ error: 'timeout', durationMs: 15_000 });
    expect(store.attempts[1]).not.toHaveProperty('statusCode');

    clock.advance(300_000);
    expect(await deliverWebhook(task('evt_1'), deps)).toMatchObject({ outcome: 'retrying', attempt: 3 });
    clock.advance(1_800_000);
    expect(await deliverWebhook(task('evt_1'), deps)).toEqual({
      outcome: 'failed',
      attempt: 4,
      endpointDisabled: false,
    });
    expect(await store.delivery(task('evt_1'))).toMatchObject({ status: 'failed', attempts: 4 });
    expect(retries.scheduled).toHaveLength(3);
    expect(await deliverWebhook(task('evt_1'), deps)).toEqual({ outcome: 'done_before' });
  });

  it('puts an early copy of a task back to its due time instead of attempting early', async () => {
    const { sender, retries, clock, deps } = setup({ script: [answered(500)] });
    await deliverWebhook(task('evt_1'), deps);
    clock.advance(1_000);

    expect(await deliverWebhook(task('evt_1'), deps)).toEqual({
      outcome: 'waiting',
      until: new Date('2026-12-07T10:00:05.000Z'),
    });
    expect(sender.sent).toHaveLength(1);
    expect(retries.scheduled).toHaveLength(2);
  });

  it('keeps order per object: a later event waits, unrecorded, until the earlier one is acknowledged', async () => {
    const { store, sender, retries, clock, deps } = setup({ script: [answered(500), answered(200)] });
    store.addEvent(event('evt_2', 2));
    await deliverWebhook(task('evt_1'), deps);

    const waiting = await deliverWebhook(task('evt_2'), deps);

    expect(waiting).toEqual({ outcome: 'waiting', until: new Date('2026-12-07T10:00:06.000Z') });
    expect(sender.sent).toHaveLength(1);
    expect(store.attempts).toHaveLength(1);
    expect(await store.delivery(task('evt_2'))).toBeUndefined();
    expect(retries.scheduled.at(-1)).toEqual({
      task: task('evt_2'),
      at: waiting.outcome === 'waiting' ? waiting.until : undefined,
    });

    clock.advance(5_000);
    await deliverWebhook(task('evt_1'), deps);
    clock.advance(1_000);
    expect(await deliverWebhook(task('evt_2'), deps)).toMatchObject({ outcome: 'succeeded' });
    expect(sender.sent.map((sent) => JSON.parse(sent.body).id)).toEqual(['evt_1', 'evt_1', 'evt_2']);
  });

  it('does not hold back another object, nor a resend', async () => {
    const { store, deps } = setup({ script: [answered(500), answered(200)] });
    store.addEvent(event('evt_other', 1, 're_2')).addEvent(event('evt_2', 2));
    await deliverWebhook(task('evt_1'), deps);

    expect(await deliverWebhook(task('evt_other'), deps)).toMatchObject({ outcome: 'succeeded' });
    expect(await deliverWebhook(task('evt_2', { resend: true }), deps)).toMatchObject({
      outcome: 'succeeded',
    });
  });

  it('lets a twin worker that attempted first win: the loser records nothing and schedules nothing', async () => {
    const { store, retries, deps } = setup({ script: [answered(500)] });
    store.beforeRecord = () => {
      store.beforeRecord = undefined;
      store.deliveries.set('mch_1|test|we_1|evt_1', {
        merchantId: 'mch_1',
        mode: 'test',
        endpointId: 'we_1',
        eventId: 'evt_1',
        objectId: 're_1',
        sequence: 1,
        status: 'succeeded',
        attempts: 1,
      });
    };

    expect(await deliverWebhook(task('evt_1'), deps)).toEqual({ outcome: 'lost_race' });
    expect(store.attempts).toHaveLength(0);
    expect(retries.scheduled).toHaveLength(0);
  });

  it('does not retry a failed resend and leaves the delivery where it stood', async () => {
    const { store, retries, deps } = setup({ script: [answered(200), answered(503)] });
    await deliverWebhook(task('evt_1'), deps);

    expect(await deliverWebhook(task('evt_1', { resend: true }), deps)).toMatchObject({
      outcome: 'failed',
      attempt: 2,
    });
    expect(await store.delivery(task('evt_1'))).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(retries.scheduled).toHaveLength(0);
  });

  it('disables an endpoint failing for 5 days and emails its owner, once', async () => {
    const failingSince = '2026-12-02T09:59:59.000Z';
    const { store, mailer, deps } = setup({ script: [answered(500)], endpoint: { failingSince } });

    const result = await deliverWebhook(task('evt_1'), deps);

    expect(result).toMatchObject({ outcome: 'retrying' });
    expect(store.endpointNow(endpoint())).toMatchObject({ status: 'disabled', disabledReason: 'failing' });
    expect(mailer.sent).toEqual([
      expect.objectContaining({
        to: 'mch_1@merchants.example',
        subject: expect.stringContaining('disabled'),
      }),
    ]);
    expect(mailer.sent[0]?.text).toContain('we_1');
    expect(await deliverWebhook(task('evt_1'), deps)).toEqual({ outcome: 'disabled' });
    expect(mailer.sent).toHaveLength(1);
  });

  it('keeps an endpoint failing for less than 5 days, and clears the clock on a success', async () => {
    const { store, mailer, deps } = setup({
      script: [answered(500), answered(200)],
      endpoint: { failingSince: '2026-12-03T10:00:00.000Z' },
    });
    await deliverWebhook(task('evt_1'), deps);
    expect(store.endpointNow(endpoint())).toMatchObject({ status: 'enabled' });

    await deliverWebhook(task('evt_1', { resend: true }), deps);
    expect(store.endpointNow(endpoint())).not.toHaveProperty('failingSince');
    expect(mailer.sent).toHaveLength(0);
  });

  it('fails the task when the owner cannot be emailed, leaving the endpoint to be disabled next time', async () => {
    const { store, mailer, deps } = setup({
      script: [answered(500)],
      endpoint: { failingSince: '2026-11-01T00:00:00.000Z' },
    });
    mailer.failNext();

    await expect(deliverWebhook(task('evt_1'), deps)).rejects.toThrow(/mail service/);
    expect(store.endpointNow(endpoint())).toMatchObject({ status: 'enabled' });
  });
});
