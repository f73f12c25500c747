import type { AddressRange } from './classify-address.js';

export type BlockedRange = Exclude<AddressRange, 'public'>;

const RANGE_DESCRIPTIONS = {
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private network address',
  'link-local': 'a link-local address',
  metadata: 'a cloud metadata service address',
  'carrier-grade-nat': 'a carrier-grade NAT (shared) address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
  'unique-local': 'a unique-local (private) IPv6 address',
  reserved: 'a reserved, non-public address',
} as const satisfies Record<BlockedRange, string>;

/**
 * An outbound request was refused because its host is, or resolves to, a non-public address.
 * Refusing these protects the server's own network and the cloud metadata service from
 * requests an agent or a customer-supplied URL can steer (SSRF).
 */
export class OutboundBlockedError extends Error {
  /** The host as written in the URL (IPv6 without brackets). */
  readonly host: string;
  /** The refused IP address, or the host name itself when the name is refused outright. */
  readonly address: string;
  readonly range: BlockedRange;

  constructor(options: { host: string; address: string; range: BlockedRange; port?: number }) {
    const { host, address, range, port } = options;
    const target = address === host ? host : `${host} (${address})`;
    const hostEntry = host.includes(':') ? `[${host}]` : host;
    const allowHint =
      port === undefined ? `"${hostEntry}"` : `"${hostEntry}" or "${hostEntry}:${port}"`;
    super(
      `Refused to connect to ${target}: it is ${RANGE_DESCRIPTIONS[range]}. ` +
        'Requests to private, loopback, link-local and cloud metadata addresses are blocked. ' +
        `If this host is trusted, add ${allowHint} to CADRE_ALLOW_PRIVATE_HOSTS ` +
        '(comma-separated host or host:port entries).',
    );
    this.name = 'OutboundBlockedError';
    this.host = host;
    this.address = address;
    this.range = range;
  }
}

export function isOutboundBlockedError(value: unknown): value is OutboundBlockedError {
  return value instanceof OutboundBlockedError;
}
