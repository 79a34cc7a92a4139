/**
 * The step-up cases every use case that moves a user's money above the MFA threshold shares (gift create,
 * P2P initiate): strictly above the threshold it needs an unspent, unexpired step-up token of this user
 * for exactly this amount and currency, spends it once, and moves nothing without one.
 */

import { hashStepUpToken } from '../../../shared/adapters/crypto/step-up-token.js';
import type { StepUpScope } from '../../../shared/domain/step-up.js';
import type { InMemoryStepUps } from './mfa/fakes.js';
import { failureOf } from './payments/harness.js';

/** Someone other than the payer. */
const ANOTHER_USER = '@mallory:tween.example';

/** What the shared cases need of a use case's test world. */
export interface StepUpWorld {
  readonly stepUps: InMemoryStepUps;
  readonly lifecycle: { readonly starts: readonly unknown[] };
  /** Tops the payer up with `funds`. */
  fund(): Promise<unknown>;
  availableTo(userId: string): Promise<number>;
}

/** The world of one use case and what it knows. */
export interface StepUpCases<W extends StepUpWorld> {
  /** A fresh world for one case. */
  setup(): W;
  /** Whose money the use case moves, and what `fund` gives them. */
  payer: string;
  funds: number;
  /** The world's clock. */
  now: string;
  /** The field of what the use case returns that holds the amount ('amount', 'totalAmount'). */
  amountField: string;
  /** The currency moved and its MFA threshold in the world, and another currency the world knows (USD 50.00, EUR). */
  currency?: string;
  threshold?: number;
  otherCurrency?: string;
}

/** What the cases ask of the use case; `idempotencyKey` is `key-1` unless given. */
export interface StepUpRequest {
  amount: number;
  stepUpToken?: string | undefined;
  idempotencyKey?: string;
}

/** Registers the shared step-up cases (inside the caller's `describe`), calling the use case through `run`. */
export function stepUpAboveThresholdCases<W extends StepUpWorld>(
  c: StepUpCases<W>,
  run: (world: W, request: StepUpRequest) => Promise<unknown>,
): void {
  const { currency = 'USD', threshold = 5_000, otherCurrency = 'EUR' } = c;
  const above = threshold + 1;
  const exactScope = { purpose: 'transfer', amount: above, currency } as const;
  /** Five minutes after `now`. */
  const later = new Date(Date.parse(c.now) + 5 * 60_000).toISOString();

  /** A step-up token of `scope` for `userId`, as POST .../mfa/step-up stores it. */
  async function grant(
    stepUps: InMemoryStepUps,
    userId: string,
    scope: StepUpScope,
    expiresAt = later,
  ): Promise<string> {
    const token = `token-${stepUps.grants.size}`;
    await stepUps.grant({
      tokenHash: hashStepUpToken(token),
      userId,
      scope,
      expiresAt,
      createdAt: c.now,
    });
    return token;
  }

  it('needs no token at the threshold itself (strictly above only)', async () => {
    // Arrange
    const h = c.setup();
    await h.fund();

    // Act
    const made = await run(h, { amount: threshold });

    // Assert
    expect(made).toMatchObject({ [c.amountField]: threshold });
  });

  it.each([
    ['no token', undefined],
    ['an unknown token', 'forged'],
  ])('fails with STEP_UP_REQUIRED and moves nothing above the threshold with %s', async (_, token) => {
    // Arrange
    const h = c.setup();
    await h.fund();

    // Act
    const error = await failureOf(run(h, { amount: above, stepUpToken: token }));

    // Assert
    expect(error).toMatchObject({
      code: 'STEP_UP_REQUIRED',
      details: { challengePath: `/payments/v1/user/${encodeURIComponent(c.payer)}/mfa/step-up` },
    });
    expect(await h.availableTo(c.payer)).toBe(c.funds);
    expect(h.lifecycle.starts).toEqual([]);
  });

  it.each<[string, StepUpScope, string]>([
    ['another amount', { ...exactScope, amount: above + 1 }, c.payer],
    ['another currency', { ...exactScope, currency: otherCurrency }, c.payer],
    ['purpose factors', { purpose: 'factors' }, c.payer],
    ['another user', exactScope, ANOTHER_USER],
  ])('fails with STEP_UP_REQUIRED for a token of %s', async (_, scope, owner) => {
    // Arrange
    const h = c.setup();
    await h.fund();
    const token = await grant(h.stepUps, owner, scope);

    // Act
    const error = await failureOf(run(h, { amount: above, stepUpToken: token }));

    // Assert
    expect(error).toMatchObject({ code: 'STEP_UP_REQUIRED' });
    expect(await h.availableTo(c.payer)).toBe(c.funds);
  });

  it('goes through once with a token for exactly this amount, and refuses the spent token next time', async () => {
    // Arrange
    const h = c.setup();
    await h.fund();
    const token = await grant(h.stepUps, c.payer, exactScope);

    // Act
    await run(h, { amount: above, stepUpToken: token });
    const again = await failureOf(run(h, { idempotencyKey: 'key-2', amount: above, stepUpToken: token }));

    // Assert
    expect(await h.availableTo(c.payer)).toBe(c.funds - above);
    expect(again).toMatchObject({ code: 'STEP_UP_REQUIRED' });
  });

  it('refuses an expired token', async () => {
    // Arrange
    const h = c.setup();
    await h.fund();
    const token = await grant(h.stepUps, c.payer, exactScope, c.now);

    // Act
    const error = await failureOf(run(h, { amount: above, stepUpToken: token }));

    // Assert
    expect(error).toMatchObject({ code: 'STEP_UP_REQUIRED' });
  });
}
