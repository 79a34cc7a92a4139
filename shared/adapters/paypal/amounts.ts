/**
 * PayPal writes amounts as decimal strings in major units (`"10.50"`, `"1050"` for JPY); we keep integers in
 * minor units. The exponent is the ISO 4217 one (money.ts), as PayPal uses it.
 */
import { minorUnitExponent } from '../../domain/money.js';
import { ProcessorError } from '../../domain/provider-errors.js';

/** 1050 USD → `"10.50"`; 1050 JPY → `"1050"`; 1050 KWD → `"1.050"`. */
export function toPayPalValue(amount: number, currency: string): string {
  const exponent = minorUnitExponent(currency);
  if (exponent === 0) return String(amount);
  const digits = String(amount).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * `"10.50"` USD → 1050. A value with more decimals than the currency has, or no number at all, is an answer we
 * cannot read: nothing may be concluded from it.
 */
export function fromPayPalValue(value: string, currency: string): number {
  const exponent = minorUnitExponent(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value);
  const fraction = match?.[2] ?? '';
  if (match === null || fraction.length > exponent) throw new ProcessorError({ retryable: false });
  const amount = Number(`${match[1]}${fraction.padEnd(exponent, '0')}`);
  if (!Number.isSafeInteger(amount)) throw new ProcessorError({ retryable: false });
  return amount;
}
