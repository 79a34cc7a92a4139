import {
  CurrencyPolicy,
  DEFAULT_ENABLED_CURRENCIES,
  InvalidAmountError,
  MAX_AMOUNT,
  minorUnitExponent,
  parseAmount,
  UnsupportedCurrencyError,
} from '../../../shared/domain/money.js';

describe('Function: parseAmount', () => {
  it.each([
    ['the smallest amount', 1],
    ['the largest amount', MAX_AMOUNT],
    ['a typical amount', 1050],
  ])('returns %s unchanged', (_label, value) => {
    // Act
    const amount = parseAmount(value);

    // Assert
    expect(amount).toBe(value);
  });

  it.each([
    ['a float', 10.5],
    ['a tiny float', 0.1],
    ['a numeric string', '1050'],
    ['a decimal string', '10.50'],
    ['a negative integer', -1],
    ['zero', 0],
    ['negative zero', -0],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['one more than MAX_AMOUNT', MAX_AMOUNT + 1],
    ['MAX_SAFE_INTEGER + 1', Number.MAX_SAFE_INTEGER + 1],
    ['a bigint', 1050n],
    ['null', null],
    ['undefined', undefined],
    ['an object', { amount: 1050 }],
  ])('throws INVALID_AMOUNT when given %s', (_label, value) => {
    // Act
    const parse = () => parseAmount(value);

    // Assert
    expect(parse).toThrow(InvalidAmountError);
    expect(parse).toThrow(expect.objectContaining({ code: 'INVALID_AMOUNT' }));
  });
});

describe('Function: minorUnitExponent', () => {
  it.each([
    ['JPY', 0],
    ['USD', 2],
    ['EUR', 2],
    ['KWD', 3],
    ['BHD', 3],
  ])('returns the ISO 4217 exponent of %s (%i)', (currency, exponent) => {
    // Act
    const digits = minorUnitExponent(currency);

    // Assert
    expect(digits).toBe(exponent);
  });

  it.each([
    ['an unknown code', 'ABC'],
    ['a lower-case code', 'usd'],
    ['the "no currency" X-code', 'XXX'],
    ['a precious-metal X-code', 'XAU'],
    ['the test X-code', 'XTS'],
    ['a two-letter code', 'US'],
    ['a code with spaces', ' USD'],
    ['an empty string', ''],
  ])('throws UNSUPPORTED_CURRENCY for %s (%s)', (_label, currency) => {
    // Act
    const exponent = () => minorUnitExponent(currency);

    // Assert
    expect(exponent).toThrow(UnsupportedCurrencyError);
    expect(exponent).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_CURRENCY' }));
  });
});

describe('Class: CurrencyPolicy', () => {
  describe('Method: fromList', () => {
    it('enables USD, EUR, GBP, JPY and KWD from the default list every function falls back to', () => {
      // Act
      const policy = CurrencyPolicy.fromList(DEFAULT_ENABLED_CURRENCIES);

      // Assert
      expect([...policy.enabled].sort()).toEqual(['EUR', 'GBP', 'JPY', 'KWD', 'USD']);
    });

    it('enables each listed currency when the list has spaces and empty items', () => {
      // Act
      const policy = CurrencyPolicy.fromList(' USD, EUR ,,JPY ,');

      // Assert
      expect([...policy.enabled].sort()).toEqual(['EUR', 'JPY', 'USD']);
    });

    it('throws UNSUPPORTED_CURRENCY when the list names an unknown code', () => {
      // Act
      const build = () => CurrencyPolicy.fromList('USD,ABC');

      // Assert
      expect(build).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_CURRENCY' }));
    });
  });

  describe('Method: constructor', () => {
    it.each([['ABC'], ['usd'], ['XXX']])('throws UNSUPPORTED_CURRENCY when constructed with %s', (code) => {
      // Act
      const build = () => new CurrencyPolicy(['USD', code]);

      // Assert
      expect(build).toThrow(UnsupportedCurrencyError);
    });
  });

  describe('Method: accept', () => {
    const policy = new CurrencyPolicy(['USD', 'JPY']);

    it('returns an enabled currency', () => {
      // Act
      const currency = policy.accept('JPY');

      // Assert
      expect(currency).toBe('JPY');
    });

    it('refuses a real ISO currency that is not enabled here (CHF)', () => {
      // Act
      const accept = () => policy.accept('CHF');

      // Assert
      expect(accept).toThrow(UnsupportedCurrencyError);
      expect(accept).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_CURRENCY' }));
    });

    it.each([
      ['a lower-case code', 'usd'],
      ['a number', 840],
      ['undefined', undefined],
      ['an object', { currency: 'USD' }],
    ])('refuses %s', (_label, value) => {
      // Act
      const accept = () => policy.accept(value);

      // Assert
      expect(accept).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_CURRENCY' }));
    });

    it('echoes at most 8 characters of a refused code in the error details', () => {
      // Act
      const accept = () => policy.accept('A'.repeat(1000));

      // Assert
      expect(accept).toThrow(expect.objectContaining({ details: { currency: 'AAAAAAAA' } }));
    });
  });

  describe('Method: money', () => {
    const policy = CurrencyPolicy.fromList('USD,KWD');

    it('returns the amount and currency when both are valid', () => {
      // Act
      const money = policy.money(1050, 'KWD');

      // Assert
      expect(money).toEqual({ amount: 1050, currency: 'KWD' });
    });

    it('throws UNSUPPORTED_CURRENCY before looking at the amount when the currency is not enabled', () => {
      // Act
      const money = () => policy.money(10.5, 'EUR');

      // Assert
      expect(money).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_CURRENCY' }));
    });

    it('throws INVALID_AMOUNT when the amount is a decimal in major units', () => {
      // Act
      const money = () => policy.money(10.5, 'USD');

      // Assert
      expect(money).toThrow(expect.objectContaining({ code: 'INVALID_AMOUNT' }));
    });
  });
});
