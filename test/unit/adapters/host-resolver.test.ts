/**
 * The system resolver adapter (shared/adapters/dns/host-resolver.ts): every address of a name, the literal
 * itself for an address.
 */
import { systemHostResolver } from '../../../shared/adapters/dns/host-resolver.js';

describe('Module: host-resolver', () => {
  it('resolves localhost to its loopback addresses', async () => {
    const addresses = await systemHostResolver.resolve('localhost');
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.every((address) => address === '::1' || address.startsWith('127.'))).toBe(true);
  });

  it('returns an address literal as itself', async () => {
    expect(await systemHostResolver.resolve('127.0.0.1')).toEqual(['127.0.0.1']);
  });

  it('rejects a name that does not exist', async () => {
    await expect(systemHostResolver.resolve('no-such-host.invalid')).rejects.toThrow();
  });
});
