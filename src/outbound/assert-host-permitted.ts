import { isIP } from 'node:net';
import { classifyAddress } from './classify-address.js';
import { normalizeHost, type HostAllowlist } from './host-allowlist.js';
import { OutboundBlockedError } from './outbound-blocked-error.js';

// Names refused before DNS: some resolvers send `*.localhost` upstream instead of to loopback,
// and the metadata names only resolve inside the cloud, where they reach credentials.
const METADATA_HOSTNAMES: ReadonlySet<string> = new Set([
  'metadata.google.internal',
  'metadata.goog',
]);

/**
 * Refuses a host whose name alone shows it is not public: a literal non-public IP (which
 * never reaches a DNS lookup hook) or a loopback/metadata name. Hostnames that need DNS are
 * judged later, on the resolved addresses, by the guarded connector.
 */
export function assertHostPermitted(host: string, port: number, allowlist: HostAllowlist): void {
  const normalized = normalizeHost(host);
  if (allowlist.allows(normalized, port)) return;
  if (isIP(normalized) !== 0) {
    const range = classifyAddress(normalized);
    if (range !== 'public') {
      throw new OutboundBlockedError({ host: normalized, address: normalized, range, port });
    }
    return;
  }
  if (normalized === 'localhost' || normalized.endsWith('.localhost')) {
    throw new OutboundBlockedError({
      host: normalized,
      address: normalized,
      range: 'loopback',
      port,
    });
  }
  if (METADATA_HOSTNAMES.has(normalized)) {
    throw new OutboundBlockedError({
      host: normalized,
      address: normalized,
      range: 'metadata',
      port,
    });
  }
}

/** The port a URL connects to, with the scheme's default filled in. */
export function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}
