import { describe, expect, it } from 'vitest';
import { addressKey } from '../../shared/http/request';

describe('addressKey: the limiter key of a client address', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['local', 'local'],
    ['2001:db8:1:2:a:b:c:d', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8:1:2:3::', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['2001:db8:1:2::192.0.2.1', '2001:db8:1:2::/64'],
    ['[2001:db8:5:6::1]', '2001:db8:5:6::/64'],
    ['2001:db8:5:6:0:0:0:1', '2001:db8:5:6::/64'],
    ['::', '0:0:0:0::/64'],
    ['::ffff:c000:0201', '0:0:0:0::/64'],
    ['not:an:address', 'unparsed-ipv6'],
    ['2001:db8:00005:6::1', 'unparsed-ipv6'],
    ['1:2:3:4:5:6:7:8:9', 'unparsed-ipv6'],
    ['1::2::3', 'unparsed-ipv6'],
    ['1:2:3:4:5:6:7::8', 'unparsed-ipv6'],
    ['2001:db8::1.2.3', 'unparsed-ipv6'],
  ])('%s → %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });

  it('every address of one /64 shares a key; the next /64 does not', () => {
    const keys = new Set(Array.from({ length: 50 }, (_, i) => addressKey(`2001:db8:aa:bb:${i.toString(16)}:${(i * 7).toString(16)}::${i + 1}`)));
    expect([...keys]).toEqual(['2001:db8:aa:bb::/64']);
    expect(addressKey('2001:db8:aa:bc::1')).not.toBe('2001:db8:aa:bb::/64');
  });
});
