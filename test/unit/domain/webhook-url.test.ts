/**
 * Where a webhook may go (shared/domain/webhook-url.ts): the registration check of an endpoint's URL and the
 * address check every delivery repeats, against a hostile list of every textual form of the blocked ranges.
 */
import {
  allowedAddresses,
  checkEndpointUrl,
  isBlockedAddress,
  isLoopbackAddress,
} from '../../../shared/domain/webhook-url.js';

const hostile = [
  // IPv4, dotted
  '0.0.0.0',
  '0.1.2.3',
  '10.0.0.1',
  '10.255.255.255',
  '100.64.0.1',
  '100.127.255.254',
  '127.0.0.1',
  '127.255.255.254',
  '169.254.169.254',
  '172.16.0.1',
  '172.31.255.255',
  '192.0.0.8',
  '192.168.1.1',
  '198.18.0.1',
  '198.19.255.255',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  // IPv4, other notations a resolver or socket accepts
  '2130706433',
  '0x7f000001',
  '0x7f.0.0.1',
  '0x7F.0x0.0x0.0x1',
  '0177.0.0.1',
  '0177.0000.0000.0001',
  '127.1',
  '127.0.1',
  '0',
  '017700000001',
  '3232235777',
  '0xa9fea9fe',
  '0251.0376.0251.0376',
  '169.254.43518',
  '127.0.0.1.',
  // IPv6
  '::',
  '::1',
  '[::1]',
  '0:0:0:0:0:0:0:1',
  '0000:0000:0000:0000:0000:0000:0000:0001',
  'fc00::1',
  'fd12:3456:789a::1',
  'fe80::1',
  'fe80::1%eth0',
  'febf::1',
  'ff02::1',
  'ff00::',
  // IPv4-mapped, compatible, translated, NAT64, 6to4 forms of blocked v4
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '[::ffff:169.254.169.254]',
  '::ffff:a9fe:a9fe',
  '::ffff:10.0.0.1',
  '0:0:0:0:0:ffff:192.168.0.1',
  '::127.0.0.1',
  '::7f00:1',
  '::ffff:0:127.0.0.1',
  '64:ff9b::127.0.0.1',
  '64:ff9b::a9fe:a9fe',
  '2002:7f00:1::',
  '2002:c0a8:101::1',
  // not an address at all: fail closed
  '',
  'localhost',
  '1.2.3.4.5',
  '256.1.1.1',
  '1.2.3.999',
  '::ffff:1.2.3.256',
  '1:2:3:4:5:6:7:8:9',
  '1::2::3',
  'gggg::1',
  '0x100000000',
  '4294967296',
  '08.1.1.1',
];

const publicAddresses = [
  '93.184.216.34',
  '8.8.8.8',
  '1.1.1.1',
  '100.63.255.255',
  '100.128.0.0',
  '172.15.255.255',
  '172.32.0.0',
  '192.169.0.1',
  '198.17.255.255',
  '198.20.0.0',
  '223.255.255.255',
  '1572395042',
  '2606:4700:4700::1111',
  '2001:4860:4860::8888',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2002:808:808::1',
];

describe('Module: webhook-url', () => {
  describe('Function: isBlockedAddress', () => {
    it.each(hostile)('blocks %p', (ip) => {
      expect(isBlockedAddress(ip)).toBe(true);
    });

    it.each(publicAddresses)('lets %p through', (ip) => {
      expect(isBlockedAddress(ip)).toBe(false);
    });
  });

  describe('Function: isLoopbackAddress', () => {
    it.each(['127.0.0.1', '127.1', '2130706433', '::1', '::ffff:127.0.0.1'])('knows %p', (ip) => {
      expect(isLoopbackAddress(ip)).toBe(true);
    });

    it.each(['10.0.0.1', '169.254.169.254', 'fe80::1', '8.8.8.8'])('is not fooled by %p', (ip) => {
      expect(isLoopbackAddress(ip)).toBe(false);
    });
  });

  describe('Function: checkEndpointUrl', () => {
    it('takes a public https URL in live mode, with its host and port', () => {
      const check = checkEndpointUrl('https://hooks.example.com:8443/tween?x=1', 'live');
      expect(check).toMatchObject({ ok: true, host: 'hooks.example.com', port: 8443 });
    });

    it('defaults the port from the scheme', () => {
      expect(checkEndpointUrl('https://hooks.example.com/', 'live')).toMatchObject({ port: 443 });
      expect(checkEndpointUrl('http://hooks.example.com/', 'test')).toMatchObject({ port: 80 });
    });

    it('refuses plain http in live mode and takes it in test mode', () => {
      expect(checkEndpointUrl('http://hooks.example.com/', 'live').ok).toBe(false);
      expect(checkEndpointUrl('http://hooks.example.com/', 'test').ok).toBe(true);
    });

    it.each([
      'not a url',
      '/relative/path',
      'ftp://hooks.example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'gopher://hooks.example.com/',
      'https://user:pass@hooks.example.com/',
      'https://user@hooks.example.com/',
      'https://:pass@hooks.example.com/',
      'https://hooks.example.com:0/',
      'https://hooks.example.com:65536/',
      'https://hooks.example.com:-1/',
      'https://',
      'https://?x=1',
      `https://hooks.example.com/${'a'.repeat(2_100)}`,
    ])('refuses %p in either mode', (url) => {
      expect(checkEndpointUrl(url, 'live').ok).toBe(false);
      expect(checkEndpointUrl(url, 'test').ok).toBe(false);
    });

    it.each([
      'https://127.0.0.1/',
      'https://2130706433/',
      'https://0x7f.1/',
      'https://0177.0.0.1/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[::ffff:a9fe:a9fe]/',
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/',
      'https://192.168.0.1:8443/',
      'https://[fe80::1]/',
      'https://[fd00::1]/',
      'https://0.0.0.0/',
      'https://localhost/',
      'https://api.localhost/',
      'https://printer.local/',
      'https://metadata.google.internal/',
      'https://intranet/',
    ])('refuses %p in live mode', (url) => {
      expect(checkEndpointUrl(url, 'live')).toEqual({ ok: false, reason: expect.any(String) });
    });

    it('refuses blocked address literals in test mode unless loopback is allowed, and then loopback only', () => {
      expect(checkEndpointUrl('http://127.0.0.1:4000/hook', 'test').ok).toBe(false);
      expect(checkEndpointUrl('http://127.0.0.1:4000/hook', 'test', { allowLoopbackInTest: true }).ok).toBe(
        true,
      );
      expect(checkEndpointUrl('http://[::1]:4000/hook', 'test', { allowLoopbackInTest: true }).ok).toBe(true);
      expect(checkEndpointUrl('http://10.0.0.1/hook', 'test', { allowLoopbackInTest: true }).ok).toBe(false);
      expect(checkEndpointUrl('https://169.254.169.254/', 'test', { allowLoopbackInTest: true }).ok).toBe(
        false,
      );
      expect(checkEndpointUrl('https://127.0.0.1/', 'live', { allowLoopbackInTest: true }).ok).toBe(false);
    });
  });

  describe('Function: allowedAddresses', () => {
    const resolver = (addresses: string[]) => ({ resolve: async () => addresses });

    it('passes a host whose every address is public', async () => {
      const result = await allowedAddresses(resolver(['93.184.216.34', '2606:4700::1']), 'a.example', 'live');
      expect(result).toEqual({ ok: true, addresses: ['93.184.216.34', '2606:4700::1'] });
    });

    it('refuses a host when any one of its addresses is blocked (rebinding, split answers)', async () => {
      const result = await allowedAddresses(resolver(['93.184.216.34', '127.0.0.1']), 'a.example', 'live');
      expect(result).toEqual({ ok: false, reason: expect.stringContaining('private') });
    });

    it('refuses a host that resolves to nothing', async () => {
      expect((await allowedAddresses(resolver([]), 'a.example', 'live')).ok).toBe(false);
    });

    it('lets test mode reach loopback only when the local setting allows it', async () => {
      const local = resolver(['127.0.0.1']);
      expect((await allowedAddresses(local, 'localhost', 'test')).ok).toBe(false);
      expect((await allowedAddresses(local, 'localhost', 'test', { allowLoopbackInTest: true })).ok).toBe(
        true,
      );
      expect((await allowedAddresses(local, 'localhost', 'live', { allowLoopbackInTest: true })).ok).toBe(
        false,
      );
    });

    it('checks an address literal without resolving it', async () => {
      const never = { resolve: async (): Promise<string[]> => Promise.reject(new Error('no lookup')) };
      expect(await allowedAddresses(never, '8.8.8.8', 'live')).toEqual({ ok: true, addresses: ['8.8.8.8'] });
    });
  });
});
