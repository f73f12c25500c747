/** The operator's `CADRE_ALLOW_PRIVATE_HOSTS`: hosts that may resolve to non-public addresses. */
export interface HostAllowlist {
  /** `host` is a URL hostname (IPv6 with or without brackets); `port` the effective port. */
  allows(host: string, port: number): boolean;
}

/**
 * Builds the allowlist from `host` or `host:port` entries (`[v6]:port` for IPv6). Hosts are
 * canonicalised with the WHATWG URL parser, so `127.1` and `127.0.0.1` name the same entry.
 * Throws on an entry that is not a host, so a typo fails at boot instead of blocking later.
 */
export function createHostAllowlist(entries: readonly string[]): HostAllowlist {
  const portsByHost = new Map<string, Set<number> | 'any'>();
  for (const entry of entries) {
    const { host, port } = parseEntry(entry);
    const existing = portsByHost.get(host);
    if (port === undefined || existing === 'any') {
      portsByHost.set(host, 'any');
    } else {
      portsByHost.set(host, new Set([...(existing ?? []), port]));
    }
  }
  return {
    allows(host, port) {
      const ports = portsByHost.get(normalizeHost(host));
      if (ports === undefined) return false;
      return ports === 'any' || ports.has(port);
    },
  };
}

/** Lowercase, without IPv6 brackets and without the DNS root dot (`localhost.` is `localhost`). */
export function normalizeHost(host: string): string {
  const unbracketed = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const lower = unbracketed.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function parseEntry(entry: string): { host: string; port: number | undefined } {
  const trimmed = entry.trim();
  const bracketed = /^(\[[^\]]+\])(?::(\d+))?$/.exec(trimmed);
  const colonCount = trimmed.split(':').length - 1;
  let hostText: string;
  let portText: string | undefined;
  if (bracketed !== null) {
    hostText = bracketed[1] ?? '';
    portText = bracketed[2];
  } else if (colonCount === 1) {
    [hostText = '', portText] = trimmed.split(':');
  } else if (colonCount > 1) {
    hostText = `[${trimmed}]`;
  } else {
    hostText = trimmed;
  }
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    throw invalidEntry(entry);
  }
  let host: string;
  try {
    host = new URL(`http://${hostText}/`).hostname;
  } catch {
    throw invalidEntry(entry);
  }
  if (host === '') throw invalidEntry(entry);
  return { host: normalizeHost(host), port };
}

function invalidEntry(entry: string): Error {
  return new Error(
    `Invalid CADRE_ALLOW_PRIVATE_HOSTS entry "${entry}": expected "host" or "host:port" ` +
      '(IPv6 as "[::1]" or "[::1]:8080").',
  );
}
