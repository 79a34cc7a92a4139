/**
 * Amounts are integers in the currency's minor unit, as in Stripe's API; messages show them the way
 * Stripe's do (`$15.00`), with the currency's own number of decimals (none for `jpy`).
 */
export function formatAmount(amount: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() });
    const decimals = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(amount / 10 ** decimals);
  } catch {
    return `${amount} ${currency}`;
  }
}
