import { contributors, describeContributors, OWN_CODE, packageOf } from '../../../bench/contributors.js';

describe('Function: packageOf', () => {
  it('names the package of an input under node_modules, scoped packages with their scope', () => {
    expect(packageOf('node_modules/stripe/esm/stripe.esm.node.js')).toBe('stripe');
    expect(packageOf('node_modules/@smithy/core/dist-es/index.js')).toBe('@smithy/core');
  });

  it('takes the innermost node_modules, so a nested copy counts for its own package', () => {
    expect(packageOf('node_modules/@aws-sdk/core/node_modules/@smithy/types/dist-es/a.js')).toBe(
      '@smithy/types',
    );
  });

  it('counts everything outside node_modules as our own code', () => {
    expect(packageOf('shared/http/handler.ts')).toBe(OWN_CODE);
    expect(packageOf('functions/health/health.ts')).toBe(OWN_CODE);
  });
});

describe('Function: contributors', () => {
  it('adds up the bytes in the output per package, largest first, leaving out inputs that left nothing', () => {
    // Arrange
    const output = {
      bytes: 10_000,
      inputs: {
        'node_modules/@smithy/core/dist-es/a.js': { bytesInOutput: 1_000 },
        'node_modules/@smithy/core/dist-es/b.js': { bytesInOutput: 2_000 },
        'node_modules/stripe/esm/index.js': { bytesInOutput: 2_500 },
        'node_modules/zod/v4/classic/index.js': { bytesInOutput: 0 },
        'shared/http/handler.ts': { bytesInOutput: 400 },
        'functions/health/health.ts': { bytesInOutput: 100 },
      },
    };

    // Act
    const list = contributors(output);

    // Assert
    expect(list).toEqual([
      { name: '@smithy/core', bytes: 3_000 },
      { name: 'stripe', bytes: 2_500 },
      { name: OWN_CODE, bytes: 500 },
    ]);
  });
});

describe('Function: describeContributors', () => {
  it('lists the first five in KiB', () => {
    const list = ['a', 'b', 'c', 'd', 'e', 'f'].map((name, index) => ({
      name,
      bytes: (6 - index) * 1024,
    }));
    expect(describeContributors(list)).toBe('a 6, b 5, c 4, d 3, e 2');
  });
});
