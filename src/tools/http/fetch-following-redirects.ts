export type ToolFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language'];
export const MAX_TOOL_REDIRECTS = 5;

/**
 * Follows redirects itself so the toolkit's credential headers (which may have any name,
 * e.g. `X-API-Key`) are dropped as soon as a hop leaves the origin. Each hop goes through
 * the given fetch, so the SSRF guard checks it. Answers the last response, which is a
 * redirect only when the hop limit was reached.
 */
export async function fetchFollowingRedirects(
  fetch: ToolFetch,
  request: {
    url: URL;
    method: string;
    headers: Headers;
    body: string | undefined;
    signal: AbortSignal;
  },
  credentialHeaders: readonly string[],
): Promise<{ response: Response; url: URL }> {
  let { url, method, body } = request;
  const headers = new Headers(request.headers);
  for (let hop = 0; ; hop += 1) {
    const response = await fetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      redirect: 'manual',
      signal: request.signal,
    });
    const location = response.headers.get('location');
    if (!REDIRECT_STATUSES.has(response.status) || location === null || hop >= MAX_TOOL_REDIRECTS) {
      return { response, url };
    }
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return { response, url };
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') return { response, url };
    await response.body?.cancel().catch(() => undefined);
    if (
      response.status === 303 ||
      ((response.status === 301 || response.status === 302) && method === 'POST')
    ) {
      method = method === 'HEAD' ? 'HEAD' : 'GET';
      body = undefined;
      for (const name of BODY_HEADERS) headers.delete(name);
    }
    if (next.origin !== url.origin) {
      for (const name of [...credentialHeaders, 'authorization', 'cookie']) headers.delete(name);
    }
    url = next;
  }
}
