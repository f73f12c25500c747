import { isIPv4, isIPv6 } from 'node:net';

/** What an IP address is, as far as outbound requests care. Only `public` may be connected to. */
export type AddressRange =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'carrier-grade-nat'
  | 'multicast'
  | 'broadcast'
  | 'unique-local'
  | 'reserved';

interface Ipv4Rule {
  base: number;
  prefix: number;
  range: Exclude<AddressRange, 'public'>;
}

// More specific rules come first: the first match wins.
const IPV4_RULES: readonly Ipv4Rule[] = [
  { base: ipv4('0.0.0.0'), prefix: 32, range: 'unspecified' },
  { base: ipv4('0.0.0.0'), prefix: 8, range: 'reserved' },
  { base: ipv4('10.0.0.0'), prefix: 8, range: 'private' },
  { base: ipv4('100.64.0.0'), prefix: 10, range: 'carrier-grade-nat' },
  { base: ipv4('127.0.0.0'), prefix: 8, range: 'loopback' },
  { base: ipv4('169.254.169.254'), prefix: 32, range: 'metadata' },
  { base: ipv4('169.254.0.0'), prefix: 16, range: 'link-local' },
  { base: ipv4('172.16.0.0'), prefix: 12, range: 'private' },
  { base: ipv4('192.0.0.0'), prefix: 24, range: 'reserved' },
  { base: ipv4('192.0.2.0'), prefix: 24, range: 'reserved' },
  { base: ipv4('192.88.99.0'), prefix: 24, range: 'reserved' },
  { base: ipv4('192.168.0.0'), prefix: 16, range: 'private' },
  { base: ipv4('198.18.0.0'), prefix: 15, range: 'reserved' },
  { base: ipv4('198.51.100.0'), prefix: 24, range: 'reserved' },
  { base: ipv4('203.0.113.0'), prefix: 24, range: 'reserved' },
  { base: ipv4('224.0.0.0'), prefix: 4, range: 'multicast' },
  { base: ipv4('255.255.255.255'), prefix: 32, range: 'broadcast' },
  { base: ipv4('240.0.0.0'), prefix: 4, range: 'reserved' },
];

type Ipv6Rule =
  | { base: bigint; prefix: number; range: Exclude<AddressRange, 'public'> }
  /** The range carries an IPv4 address at `ipv4Offset` bits from the top; judge that address. */
  | { base: bigint; prefix: number; ipv4Offset: number; range: 'embedded-ipv4' };

const IPV6_RULES: readonly Ipv6Rule[] = [
  { base: ipv6('::'), prefix: 128, range: 'unspecified' },
  { base: ipv6('::1'), prefix: 128, range: 'loopback' },
  // IPv4-mapped: the kernel connects to the embedded IPv4 address.
  { base: ipv6('::ffff:0:0'), prefix: 96, ipv4Offset: 96, range: 'embedded-ipv4' },
  // IPv4-compatible (deprecated, never routed): refused whatever it embeds.
  { base: ipv6('::'), prefix: 96, range: 'reserved' },
  // NAT64 well-known prefix: a gateway forwards to the embedded IPv4 address.
  { base: ipv6('64:ff9b::'), prefix: 96, ipv4Offset: 96, range: 'embedded-ipv4' },
  { base: ipv6('64:ff9b:1::'), prefix: 48, range: 'reserved' },
  { base: ipv6('100::'), prefix: 64, range: 'reserved' },
  // IETF protocol assignments, including Teredo (2001::/32), which hides an IPv4 address.
  { base: ipv6('2001::'), prefix: 23, range: 'reserved' },
  { base: ipv6('2001:db8::'), prefix: 32, range: 'reserved' },
  // 6to4: a relay forwards to the IPv4 address in bits 16-48.
  { base: ipv6('2002::'), prefix: 16, ipv4Offset: 16, range: 'embedded-ipv4' },
  { base: ipv6('3fff::'), prefix: 20, range: 'reserved' },
  { base: ipv6('fd00:ec2::254'), prefix: 128, range: 'metadata' },
  { base: ipv6('fc00::'), prefix: 7, range: 'unique-local' },
  { base: ipv6('fe80::'), prefix: 10, range: 'link-local' },
  { base: ipv6('ff00::'), prefix: 8, range: 'multicast' },
];

const IPV6_GLOBAL_UNICAST = { base: ipv6('2000::'), prefix: 3 };

/**
 * Classifies an IP address written as `net.isIP` accepts it (dotted IPv4 or IPv6 text).
 * Anything outside global unicast is non-public, so new IANA ranges default to refused.
 */
export function classifyAddress(address: string): AddressRange {
  if (isIPv4(address)) return classifyIpv4(ipv4(address));
  const unscoped = stripZone(address);
  if (isIPv6(unscoped)) return classifyIpv6(ipv6(unscoped));
  throw new TypeError(`Not an IP address: ${address}`);
}

function classifyIpv4(value: number): AddressRange {
  for (const rule of IPV4_RULES) {
    if (ipv4InPrefix(value, rule.base, rule.prefix)) return rule.range;
  }
  return 'public';
}

function classifyIpv6(value: bigint): AddressRange {
  for (const rule of IPV6_RULES) {
    if (!ipv6InPrefix(value, rule.base, rule.prefix)) continue;
    if (rule.range !== 'embedded-ipv4') return rule.range;
    const embedded = Number((value >> BigInt(128 - rule.ipv4Offset - 32)) & 0xffffffffn);
    return classifyIpv4(embedded);
  }
  return ipv6InPrefix(value, IPV6_GLOBAL_UNICAST.base, IPV6_GLOBAL_UNICAST.prefix)
    ? 'public'
    : 'reserved';
}

function ipv4InPrefix(value: number, base: number, prefix: number): boolean {
  if (prefix === 0) return true;
  const mask = (0xffffffff << (32 - prefix)) >>> 0;
  return (value & mask) >>> 0 === (base & mask) >>> 0;
}

function ipv6InPrefix(value: bigint, base: bigint, prefix: number): boolean {
  const shift = BigInt(128 - prefix);
  return value >> shift === base >> shift;
}

function stripZone(address: string): string {
  const zone = address.indexOf('%');
  return zone === -1 ? address : address.slice(0, zone);
}

/** Dotted-decimal IPv4 (already validated by `net.isIPv4`) as an unsigned 32-bit number. */
function ipv4(text: string): number {
  return text.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** IPv6 text (already validated by `net.isIPv6`) as a 128-bit integer. */
function ipv6(text: string): bigint {
  let address = text;
  const lastColon = address.lastIndexOf(':');
  const tail = address.slice(lastColon + 1);
  if (tail.includes('.')) {
    const embedded = ipv4(tail);
    address = `${address.slice(0, lastColon + 1)}${(embedded >>> 16).toString(16)}:${(embedded & 0xffff).toString(16)}`;
  }
  const [head = '', rest] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = new Array<string>(8 - headGroups.length - restGroups.length).fill('0');
  const groups = rest === undefined ? headGroups : [...headGroups, ...zeros, ...restGroups];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}
