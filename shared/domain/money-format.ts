/** Amounts as people read them, in the currency's own format and decimals (ISO 4217 minor units). */
import { minorUnitExponent } from './money.js';

/**
 * `amount` minor units of `currency` as people read them: 3000 USD → `$30.00`, 500 JPY → `¥500`,
 * 1000 KWD → `KWD 1.000` (the currency's own decimals from ISO 4217, its symbol from Intl).
 */
export function formatAmount(amount: number, currency: string): string {
  const digits = minorUnitExponent(currency);
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount / 10 ** digits);
}
