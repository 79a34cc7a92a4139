/**
 * The task payloads of each lifecycle state machine: one schema per ASL file, what its `lambda:invoke`
 * tasks put in `Payload`, one shape per `action`. The lifecycle functions parse their event with these;
 * the tests that run the ASL with mocked tasks parse with the same; the infra tests check every task
 * payload of each ASL file against its schema, and every action of the schema against the ASL.
 * Strict: a field the ASL (or the local runner) adds by mistake fails the task, as a missing one would.
 */
import * as z from 'zod/mini';
import '../zod-locale.js';
import type { StateMachineName } from './state-machines.js';

const taskToken = z.string().check(z.minLength(1));

/** statemachines/payment.asl.json → functions/payments/lifecycle.ts */
export const PaymentTask = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('await_mfa'), paymentId: z.string(), taskToken }),
  z.strictObject({ action: z.literal('await_provider'), paymentId: z.string(), taskToken }),
  z.strictObject({ action: z.literal('process'), paymentId: z.string() }),
  z.strictObject({ action: z.literal('fail'), paymentId: z.string(), reason: z.string() }),
]);
export type PaymentTask = z.infer<typeof PaymentTask>;

/** statemachines/p2p-transfer.asl.json → functions/p2p/lifecycle.ts */
export const P2pTask = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('await_decision'), transferId: z.string(), taskToken }),
  z.strictObject({ action: z.literal('expire'), transferId: z.string() }),
]);
export type P2pTask = z.infer<typeof P2pTask>;

/** statemachines/group-gift.asl.json → functions/gifts/lifecycle.ts */
export const GiftTask = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('expire'), giftId: z.string().check(z.minLength(1)) }),
]);
export type GiftTask = z.infer<typeof GiftTask>;

/** statemachines/payment-intent-capture.asl.json → functions/merchants/payment-intent-capture.ts */
export const PaymentIntentCaptureTask = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('expire'),
    merchantId: z.string().check(z.minLength(1)),
    /** `test` or `live` (the function checks it: the ASL passes it through from the execution's input). */
    mode: z.string().check(z.minLength(1)),
    intentId: z.string().check(z.minLength(1)),
  }),
]);
export type PaymentIntentCaptureTask = z.infer<typeof PaymentIntentCaptureTask>;
/** statemachines/merchant-onboarding.asl.json → functions/merchants/onboarding-lifecycle.ts */
const merchantId = z.string().check(z.regex(/^mch_[A-Za-z0-9]{1,64}$/));
const submission = z.number().check(z.int(), z.positive());
export const OnboardingTask = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('await_review'), merchantId, submission, taskToken }),
  z.strictObject({ action: z.literal('expire_review'), merchantId, submission }),
]);
export type OnboardingTask = z.infer<typeof OnboardingTask>;

/** statemachines/payout.asl.json → functions/merchants/payout-lifecycle.ts */
const payoutRef = {
  merchantId,
  /** `test` or `live` (the function checks it). */
  mode: z.string().check(z.minLength(1)),
  payoutId: z.string().check(z.regex(/^po_[A-Za-z0-9_]{1,128}$/)),
};
export const PayoutTask = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('send'), ...payoutRef }),
  z.strictObject({ action: z.literal('await_provider'), ...payoutRef, taskToken }),
  z.strictObject({ action: z.literal('check_provider'), ...payoutRef }),
]);
export type PayoutTask = z.infer<typeof PayoutTask>;

/** The task schema of each state machine of the catalogue. */
export const lifecycleTasks = {
  payment: PaymentTask,
  p2pTransfer: P2pTask,
  groupGift: GiftTask,
  paymentIntentCapture: PaymentIntentCaptureTask,
  merchantOnboarding: OnboardingTask,
  payout: PayoutTask,
} as const satisfies Record<StateMachineName, z.ZodMiniDiscriminatedUnion>;

/** The `action` values a lifecycle's task schema accepts. */
export function taskActions(machine: StateMachineName): string[] {
  return lifecycleTasks[machine].def.options.flatMap((option) => option.shape.action.def.values);
}
