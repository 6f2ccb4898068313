// The SSRF guard (shared/http/outbound.ts) against a table of URLs: what a webhook
// (and later a pull) may target, and what it may never reach.
import { describe, expect, it } from 'vitest';
import { isPublicIPv6, outboundRefusal, parseIPv6 } from '../../shared/http/outbound';

const allowed = [
  'https://example.com/hook',
  'https://hooks.example.co.uk:443/a?b=c',
  'https://api.example.com:8443/x',
  'https://93.184.216.34/hook', // a public address
  'https://[2606:4700:4700::1111]/hook', // public IPv6
  'https://xn--bcher-kva.example/hook',
];

const refused: Array<[string, RegExp]> = [
  ['http://example.com/hook', /https/],
  ['ftp://example.com/', /https/],
  ['javascript:alert(1)', /https/],
  ['not a url', /not a URL/],
  ['https://user:pass@example.com/', /user name or password/],
  ['https://example.com:22/', /port/],
  ['https://localhost/hook', /public host|local network/],
  ['https://app.localhost/hook', /local network/],
  ['https://printer.local/', /local network/],
  ['https://db.internal/', /local network/],
  ['https://intranet/', /public host/],
  ['https://127.0.0.1/', /private/],
  ['https://127.1/', /private/], // WHATWG URL reads this as 127.0.0.1
  ['https://2130706433/', /private/], // 127.0.0.1 as one number
  ['https://0x7f.0.0.1/', /private/],
  ['https://0.0.0.0/', /private/],
  ['https://10.1.2.3/', /private/],
  ['https://172.16.0.1/', /private/],
  ['https://172.31.255.255/', /private/],
  ['https://192.168.1.1/', /private/],
  ['https://169.254.169.254/latest/meta-data/', /private/], // cloud metadata
  ['https://100.64.0.1/', /private/], // CGNAT
  ['https://100.127.255.254/', /private/],
  ['https://224.0.0.1/', /private/],
  ['https://255.255.255.255/', /private/],
  ['https://198.18.0.1/', /private/],
  ['https://[::1]/', /private/],
  ['https://[::]/', /private/],
  ['https://[::ffff:127.0.0.1]/', /private/],
  ['https://[::ffff:10.0.0.1]/', /private/],
  ['https://[::ffff:169.254.169.254]/', /private/],
  ['https://[64:ff9b::a9fe:a9fe]/', /private/], // NAT64 of 169.254.169.254
  ['https://[2002:a9fe:a9fe::1]/', /private/], // 6to4 of 169.254.169.254
  ['https://[fc00::1]/', /private/],
  ['https://[fd12:3456::1]/', /private/],
  ['https://[fe80::1]/', /private/],
  ['https://[ff02::1]/', /private/],
  ['https://[2001:db8::1]/', /private/],
];

describe('the SSRF guard', () => {
  it.each(allowed)('allows %s', (url) => {
    expect(outboundRefusal(url)).toBeNull();
  });

  it.each(refused)('refuses %s', (url, why) => {
    expect(outboundRefusal(url)).toMatch(why);
  });

  it('allows http://localhost only where the policy says so (a developer’s machine)', () => {
    for (const url of ['http://localhost:9000/hook', 'http://127.0.0.1:9000/hook', 'http://[::1]:9000/hook']) {
      expect(outboundRefusal(url), url).not.toBeNull();
      expect(outboundRefusal(url, { allowLocal: true }), url).toBeNull();
    }
    // Even then, only loopback: a LAN address stays refused.
    expect(outboundRefusal('http://192.168.1.5/hook', { allowLocal: true })).not.toBeNull();
  });

  it('parses IPv6 forms, and only global unicast is public', () => {
    expect(parseIPv6('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    expect(parseIPv6('1::2:3')).toEqual([1, 0, 0, 0, 0, 0, 2, 3]);
    expect(parseIPv6('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIPv6('1::2::3')).toBeNull();
    expect(isPublicIPv6(parseIPv6('2606:4700::1')!)).toBe(true);
    expect(isPublicIPv6(parseIPv6('::ffff:8.8.8.8')!)).toBe(true);
    expect(isPublicIPv6(parseIPv6('2a00:1450::1')!)).toBe(true);
    expect(isPublicIPv6(parseIPv6('4000::1')!)).toBe(false);
  });
});
