import type { LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import { assertHostPermitted } from './assert-host-permitted.js';
import { classifyAddress } from './classify-address.js';
import type { HostAllowlist } from './host-allowlist.js';
import { OutboundBlockedError } from './outbound-blocked-error.js';
import type { ResolveHost } from './resolve-host.js';

/**
 * An undici connector that judges the address each socket actually connects to. Literal IPs
 * are checked here because Node skips the `lookup` hook for them; hostnames are resolved by
 * a `lookup` hook that refuses the whole answer if any address in it is not public, so DNS
 * rebinding between a pre-check and the connect cannot slip a private address through.
 */
export function createGuardedConnector(options: {
  allowlist: HostAllowlist;
  resolveHost: ResolveHost;
}): buildConnector.connector {
  const { allowlist, resolveHost } = options;
  const trusted = buildConnector({ lookup: createLookup(resolveHost, false) });
  const guarded = buildConnector({ lookup: createLookup(resolveHost, true) });
  return (connectOptions, callback) => {
    const port = Number(connectOptions.port) || (connectOptions.protocol === 'https:' ? 443 : 80);
    if (allowlist.allows(connectOptions.hostname, port)) {
      trusted(connectOptions, callback);
      return;
    }
    try {
      assertHostPermitted(connectOptions.hostname, port, allowlist);
    } catch (error) {
      callback(error as Error, null);
      return;
    }
    guarded(connectOptions, callback);
  };
}

function createLookup(resolveHost: ResolveHost, refuseNonPublic: boolean): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    const family =
      lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : 0;
    resolveHost(hostname, family).then(
      (addresses) => {
        if (refuseNonPublic) {
          for (const { address } of addresses) {
            const range = classifyAddress(address);
            if (range !== 'public') {
              callback(new OutboundBlockedError({ host: hostname, address, range }), '', 0);
              return;
            }
          }
        }
        const [first] = addresses;
        if (first === undefined) {
          callback(
            Object.assign(new Error(`No addresses for ${hostname}`), { code: 'ENOTFOUND' }),
            '',
            0,
          );
        } else if (lookupOptions.all === true) {
          callback(null, addresses);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
