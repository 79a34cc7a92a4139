/** PayPal's decimal amounts (`"12.34"`) as integers in thousandths, and back. */

/** A decimal string's value in its smallest written unit, scaled to `reference`'s decimals. */
export function cents(value: string): number {
  const [whole = '0', fraction = ''] = value.split('.');
  return Number(`${whole}${fraction.padEnd(3, '0')}`);
}

/** The inverse of cents(), written with as many decimals as `reference` has. */
export function decimal(amount: number, reference: string): string {
  const places = reference.split('.')[1]?.length ?? 0;
  const thousandths = String(amount).padStart(4, '0');
  const whole = thousandths.slice(0, -3).replace(/^0+(?=\d)/, '');
  const fraction = thousandths.slice(-3).slice(0, places);
  return places === 0 ? whole : `${whole}.${fraction}`;
}
