/** The payment settings a deployment chooses (MFA_THRESHOLDS, MFA_VELOCITY_LIMIT, lifetimes). */
export interface PaymentPolicy {
  /** Per-currency amounts (minor units) above which MFA is required. */
  mfaThresholds: ReadonlyMap<string, number>;
  /** From this many payments in an hour on, every further payment needs MFA. */
  mfaVelocityLimit: number;
  /** How long the lifecycle waits for the payer's second factor (the challenge lifetime). */
  mfaTimeoutSeconds: number;
  /** How long the lifecycle waits for the provider (3-D Secure, async confirmation). */
  providerTimeoutSeconds: number;
}
