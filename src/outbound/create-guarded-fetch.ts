import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';
import { assertHostPermitted, effectivePort } from './assert-host-permitted.js';
import { createGuardedConnector } from './create-guarded-connector.js';
import { createHostAllowlist } from './host-allowlist.js';
import { OutboundBlockedError } from './outbound-blocked-error.js';
import { OutboundRedirectError } from './outbound-redirect-error.js';
import { resolveWithSystemDns, type ResolveHost } from './resolve-host.js';

/**
 * `fetch` for URLs an agent or a customer chose. The response is undici's `Response`
 * (same interface as the global one, but `instanceof Response` is false on Node 20).
 */
export type GuardedFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface GuardedFetchOptions {
  /** `host` or `host:port` entries allowed to resolve to private addresses. */
  dangerouslyAllowPrivateHosts: readonly string[];
  /** Redirects followed per request (default 5); each hop is checked like the first URL. */
  maxRedirects?: number;
  /** Replaces DNS resolution; tests use it to script answers (rebinding, multi-answer). */
  resolveHost?: ResolveHost;
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
// Credentials set for one origin must not travel to another (as the fetch standard does).
const CROSS_ORIGIN_DROPPED_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language'];

/**
 * Builds a fetch that refuses loopback, private, link-local, metadata and other non-public
 * addresses (unless allowlisted), checks literal IPs before connecting and resolved addresses
 * at connect time, and follows redirects itself so every hop is checked again.
 */
export function createGuardedFetch(options: GuardedFetchOptions): GuardedFetch {
  const allowlist = createHostAllowlist(options.dangerouslyAllowPrivateHosts);
  const maxRedirects = options.maxRedirects ?? 5;
  // An explicit dispatcher also keeps HTTP(S)_PROXY from the environment out of the path.
  const dispatcher = new Agent({
    connect: createGuardedConnector({
      allowlist,
      resolveHost: options.resolveHost ?? resolveWithSystemDns,
    }),
  });

  return async (input, init = {}) => {
    let url = new URL(input);
    let method = (init.method ?? 'GET').toUpperCase();
    let body = init.body;
    const headers = new Headers(init.headers);
    const redirectMode = init.redirect ?? 'follow';

    for (let redirects = 0; ; redirects += 1) {
      assertFetchable(url);
      assertHostPermitted(url.hostname, effectivePort(url), allowlist);
      const response = await send(url, {
        ...(init as UndiciRequestInit),
        method,
        headers: [...headers],
        body: body as UndiciRequestInit['body'],
        redirect: 'manual',
        dispatcher,
      });
      const location = response.headers.get('location');
      if (
        !REDIRECT_STATUSES.has(response.status) ||
        location === null ||
        redirectMode === 'manual'
      ) {
        return response;
      }
      await response.body?.cancel();
      const next = resolveRedirect(url, location);
      if (redirectMode === 'error') {
        throw new OutboundRedirectError({
          url: url.href,
          message: `${url.href} redirected to ${next.href}.`,
        });
      }
      if (redirects >= maxRedirects) {
        throw new OutboundRedirectError({
          url: url.href,
          message: `Stopped after ${maxRedirects} redirects (last one from ${url.href} to ${next.href}).`,
        });
      }
      if (rewritesToGet(response.status, method)) {
        method = 'GET';
        body = null;
        for (const name of BODY_HEADERS) headers.delete(name);
      } else if (body instanceof ReadableStream) {
        throw new OutboundRedirectError({
          url: url.href,
          message: `${url.href} answered ${response.status}, but a streamed body cannot be sent again.`,
        });
      }
      if (next.origin !== url.origin) {
        for (const name of CROSS_ORIGIN_DROPPED_HEADERS) headers.delete(name);
      }
      url = next;
    }
  };
}

async function send(url: URL, init: UndiciRequestInit): Promise<Response> {
  try {
    return await undiciFetch(url, init);
  } catch (error) {
    throw findBlockedCause(error) ?? error;
  }
}

/** undici wraps connect errors in `TypeError: fetch failed`; surface ours unwrapped. */
function findBlockedCause(error: unknown): OutboundBlockedError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof OutboundBlockedError) return current;
    current = current.cause;
  }
  return undefined;
}

function assertFetchable(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Only http: and https: URLs can be fetched, not ${url.protocol}`);
  }
}

function resolveRedirect(from: URL, location: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new OutboundRedirectError({
      url: from.href,
      message: `${from.href} redirected to an invalid URL: ${location}`,
    });
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new OutboundRedirectError({
      url: from.href,
      message: `${from.href} redirected to ${next.protocol} URL, which is not fetched.`,
    });
  }
  return next;
}

/** The fetch standard's method change: 303 becomes GET, and so do 301/302 after a POST. */
function rewritesToGet(status: number, method: string): boolean {
  if (status === 303) return method !== 'GET' && method !== 'HEAD';
  return (status === 301 || status === 302) && method === 'POST';
}
