import { describe, expect, it } from 'vitest';
import { createHostAllowlist } from '../../src/outbound/index.js';

describe('createHostAllowlist', () => {
  it('allows every port of a host listed without a port', () => {
    const allowlist = createHostAllowlist(['localhost']);
    expect(allowlist.allows('localhost', 80)).toBe(true);
    expect(allowlist.allows('localhost', 3000)).toBe(true);
    expect(allowlist.allows('example.com', 80)).toBe(false);
  });

  it('allows only the listed port of a host:port entry', () => {
    const allowlist = createHostAllowlist(['127.0.0.1:8080', '127.0.0.1:9090']);
    expect(allowlist.allows('127.0.0.1', 8080)).toBe(true);
    expect(allowlist.allows('127.0.0.1', 9090)).toBe(true);
    expect(allowlist.allows('127.0.0.1', 80)).toBe(false);
  });

  it('matches other spellings of the same IPv4 address', () => {
    const allowlist = createHostAllowlist(['127.1:8080']);
    expect(allowlist.allows('127.0.0.1', 8080)).toBe(true);
  });

  it('accepts IPv6 entries with and without brackets', () => {
    const allowlist = createHostAllowlist(['[::1]:8080', 'fd00::1']);
    expect(allowlist.allows('[::1]', 8080)).toBe(true);
    expect(allowlist.allows('::1', 8080)).toBe(true);
    expect(allowlist.allows('::1', 8081)).toBe(false);
    expect(allowlist.allows('[fd00::1]', 443)).toBe(true);
  });

  it('ignores case and a trailing root dot', () => {
    const allowlist = createHostAllowlist(['Internal.Example']);
    expect(allowlist.allows('internal.example.', 443)).toBe(true);
  });

  it.each(['host:0', 'host:99999', 'host:abc', 'ho st', 'http://x/'])(
    'throws on the malformed entry %s naming the variable',
    (entry) => {
      expect(() => createHostAllowlist([entry])).toThrow(/CADRE_ALLOW_PRIVATE_HOSTS/);
    },
  );
});
