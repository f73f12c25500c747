import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A provider consent screen in front of the OAuth server: GET /authorize shows Allow and
 * Deny buttons; Allow continues to the real authorization endpoint with the same parameters,
 * Deny returns to the client with `error=access_denied`.
 */
export async function startConsentScreen(authorizationUrl: string): Promise<{
  authorizationUrl: string;
  hostPort: string;
  close(): Promise<void>;
}> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://consent.local');
    if (url.pathname === '/authorize') {
      const allow = new URL(authorizationUrl);
      url.searchParams.forEach((value, key) => allow.searchParams.set(key, value));
      const deny = new URL(url.searchParams.get('redirect_uri') ?? 'http://invalid');
      deny.searchParams.set('error', 'access_denied');
      deny.searchParams.set('state', url.searchParams.get('state') ?? '');
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        `<!doctype html><title>Authorize</title><h1>Allow Cadre to access your CRM?</h1>` +
          `<p>Scopes: ${url.searchParams.get('scope') ?? ''}</p>` +
          `<a id="allow" href="${allow.href.replace(/"/g, '&quot;')}">Allow</a> ` +
          `<a id="deny" href="${deny.href.replace(/"/g, '&quot;')}">Deny</a>`,
      );
      return;
    }
    response.writeHead(404);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    authorizationUrl: `http://127.0.0.1:${port}/authorize`,
    hostPort: `127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
