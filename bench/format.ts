/** How the benchmark writes numbers and dollars. Pure. */

/** Significant figures without exponent noise: 0, 12.3, 1.000, 0.00123. */
export function formatNumber(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(3);
  return Number(value.toPrecision(3)).toString();
}

export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  if (Math.abs(value) < 0.0001) return `$${Number(value.toPrecision(2)).toString()}`;
  return `$${value.toFixed(4)}`;
}
