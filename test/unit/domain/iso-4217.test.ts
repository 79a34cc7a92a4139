/**
 * The minor-unit table the functions bundle (shared/domain/iso-4217.ts) is the `currency-codes` package's
 * ISO 4217 data, X-codes left out: the same codes with the same exponents, so dropping the package from the
 * bundles (#15) changed no answer.
 */
import currencyCodes from 'currency-codes';
import { MINOR_UNIT_EXPONENTS } from '../../../shared/domain/iso-4217.js';
import { minorUnitExponent, UnsupportedCurrencyError } from '../../../shared/domain/money.js';

const iso = currencyCodes.data.filter((entry) => !entry.code.startsWith('X'));

describe('ISO 4217 minor units', () => {
  it('holds every non-X code of currency-codes with its exponent, and nothing else', () => {
    expect(Object.fromEntries(MINOR_UNIT_EXPONENTS)).toEqual(
      Object.fromEntries(iso.map((entry) => [entry.code, entry.digits])),
    );
  });

  it('answers what currency-codes answers for every code it knows, X-codes refused', () => {
    for (const entry of currencyCodes.data) {
      if (entry.code.startsWith('X'))
        expect(() => minorUnitExponent(entry.code)).toThrow(UnsupportedCurrencyError);
      else expect(minorUnitExponent(entry.code)).toBe(entry.digits);
    }
  });

  it('refuses what is not an upper-case code', () => {
    for (const code of ['usd', 'US', 'USDX', '', 'constructor', 'toString'])
      expect(() => minorUnitExponent(code)).toThrow(UnsupportedCurrencyError);
  });
});
