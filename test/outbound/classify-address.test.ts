import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../../src/outbound/index.js';

const ipv4Arbitrary = fc
  .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
  .map((octets) => octets.join('.'));

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function hexGroups(address: string): [string, string] {
  const value = ipv4ToNumber(address);
  return [(value >>> 16).toString(16), (value & 0xffff).toString(16)];
}

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['169.254.1.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['100.100.100.200', 'carrier-grade-nat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::127.0.0.1', 'reserved'],
    ['::8.8.8.8', 'reserved'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['2001:0:4136:e378::1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['fd00:ec2::254', 'metadata'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['fec0::1', 'reserved'],
  ])('refuses %s as %s', (address, range) => {
    expect(classifyAddress(address)).toBe(range);
  });

  it.each([
    '8.8.8.8',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:81b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('accepts the public address %s', (address) => {
    expect(classifyAddress(address)).toBe('public');
  });

  it('throws on text that is not an IP address', () => {
    expect(() => classifyAddress('example.com')).toThrow(TypeError);
  });

  it('judges an IPv4-mapped IPv6 address like the IPv4 address it maps', () => {
    fc.assert(
      fc.property(ipv4Arbitrary, (address) => {
        const [high, low] = hexGroups(address);
        expect(classifyAddress(`::ffff:${address}`)).toBe(classifyAddress(address));
        expect(classifyAddress(`::ffff:${high}:${low}`)).toBe(classifyAddress(address));
      }),
    );
  });

  it('judges NAT64 and 6to4 addresses by the IPv4 address they embed', () => {
    fc.assert(
      fc.property(ipv4Arbitrary, (address) => {
        const [high, low] = hexGroups(address);
        expect(classifyAddress(`64:ff9b::${high}:${low}`)).toBe(classifyAddress(address));
        expect(classifyAddress(`2002:${high}:${low}::1`)).toBe(classifyAddress(address));
      }),
    );
  });

  it('classifies every WHATWG spelling of an IPv4 address like its dotted form', () => {
    fc.assert(
      fc.property(fc.nat(0xffffffff), (value) => {
        const dotted = new URL(`http://${value}/`).hostname;
        const hex = new URL(`http://0x${value.toString(16)}/`).hostname;
        const octal = new URL(`http://0${value.toString(8)}/`).hostname;
        expect(hex).toBe(dotted);
        expect(octal).toBe(dotted);
        const firstOctet = value >>> 24;
        if (firstOctet === 127) expect(classifyAddress(hex)).toBe('loopback');
        if (firstOctet === 10) expect(classifyAddress(octal)).toBe('private');
      }),
    );
  });
});
