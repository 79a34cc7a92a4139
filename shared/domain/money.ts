/**
 * Money: integer amounts in a currency's minor unit (USD 1050 = $10.50, JPY 1050 = ¥1050, KWD 1050 =
 * 1.050 KD). Minor-unit exponents come from ISO 4217 data (iso-4217.ts, the `currency-codes` package's).
 */
import { DomainError } from './errors.js';
import { MINOR_UNIT_EXPONENTS } from './iso-4217.js';

/** The largest amount one operation may move: 10^10 minor units ($100 million). */
export const MAX_AMOUNT = 10_000_000_000;

export interface Money {
  amount: number;
  currency: string;
}

export class InvalidAmountError extends DomainError {
  override readonly name = 'InvalidAmountError';
  constructor(message = `Amounts are positive integers in the currency's minor unit, at most ${MAX_AMOUNT}`) {
    super('INVALID_AMOUNT', message);
  }
}

export class UnsupportedCurrencyError extends DomainError {
  override readonly name = 'UnsupportedCurrencyError';
  constructor(currency: string) {
    super('UNSUPPORTED_CURRENCY', `Currency ${currency} is not supported`, { currency });
  }
}

/** A positive integer amount of minor units, or INVALID_AMOUNT. Floats, strings and zero are refused. */
export function parseAmount(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > MAX_AMOUNT) {
    throw new InvalidAmountError();
  }
  return value;
}

/** ISO 4217 minor-unit exponent: JPY 0, USD 2, KWD 3. */
export function minorUnitExponent(currency: string): number {
  // X-codes (XXX, XTS, XAU, ...) are funds, metals and test codes, not money a wallet holds: not in the table.
  const exponent = MINOR_UNIT_EXPONENTS.get(currency);
  if (exponent === undefined) throw new UnsupportedCurrencyError(currency);
  return exponent;
}

/** ENABLED_CURRENCIES when it is not set: the list every function and the local stack fall back to. */
export const DEFAULT_ENABLED_CURRENCIES = 'USD,EUR,GBP,JPY,KWD';

/** The currencies this deployment accepts (ENABLED_CURRENCIES), each a real ISO 4217 currency. */
export class CurrencyPolicy {
  readonly enabled: ReadonlySet<string>;

  constructor(codes: readonly string[]) {
    for (const code of codes) minorUnitExponent(code);
    this.enabled = new Set(codes);
  }

  static fromList(list: string): CurrencyPolicy {
    return new CurrencyPolicy(
      list
        .split(',')
        .map((code) => code.trim())
        .filter((code) => code !== ''),
    );
  }

  /** The currency code if it is enabled here, else UNSUPPORTED_CURRENCY. */
  accept(currency: unknown): string {
    if (typeof currency !== 'string' || !this.enabled.has(currency)) {
      throw new UnsupportedCurrencyError(
        typeof currency === 'string' ? currency.slice(0, 8) : String(currency),
      );
    }
    return currency;
  }

  money(amount: unknown, currency: unknown): Money {
    return { currency: this.accept(currency), amount: parseAmount(amount) };
  }
}
