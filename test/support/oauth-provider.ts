import { OAuth2Server } from 'oauth2-mock-server';

/**
 * A real OAuth 2.0 server on loopback (oauth2-mock-server) with the bookkeeping a provider
 * has: which access tokens are valid, which refresh token is current (rotation), revocation,
 * and a count of token requests.
 */
export interface TestOAuthProvider {
  url: string;
  hostPort: string;
  authorizationUrl: string;
  tokenUrl: string;
  /** Every access and refresh token issued so far (for leak checks). */
  issuedTokens: string[];
  /** Token endpoint calls, by grant type. */
  tokenRequests: { authorization_code: number; refresh_token: number };
  isValidAccessToken(token: string): boolean;
  /** Makes every issued access token invalid (the API answers 401 to them). */
  expireAccessTokens(): void;
  /** Makes every refresh token invalid (the user revoked access at the provider). */
  revokeRefreshTokens(): void;
  /** The next authorization request ends with `error=access_denied`. */
  denyNextAuthorization(): void;
  close(): Promise<void>;
}

export async function startOAuthProvider(): Promise<TestOAuthProvider> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  const url = (server.issuer.url ?? '').replace(/\/$/, '');
  const validAccess = new Set<string>();
  const validRefresh = new Set<string>();
  let deny = false;
  const tokenRequests = { authorization_code: 0, refresh_token: 0 };
  const issuedTokens: string[] = [];

  server.service.on('beforeAuthorizeRedirect', (redirect: { url: URL }) => {
    if (!deny) return;
    deny = false;
    redirect.url.searchParams.delete('code');
    redirect.url.searchParams.set('error', 'access_denied');
  });
  server.service.on(
    'beforeResponse',
    (
      response: { body: Record<string, unknown>; statusCode: number },
      request: { body: Record<string, string> },
    ) => {
      const grant = request.body.grant_type;
      if (grant === 'authorization_code') tokenRequests.authorization_code += 1;
      if (grant === 'refresh_token') {
        tokenRequests.refresh_token += 1;
        const presented = request.body.refresh_token ?? '';
        if (!validRefresh.has(presented)) {
          response.statusCode = 400;
          response.body = {
            error: 'invalid_grant',
            error_description: 'refresh token is not valid',
          };
          return;
        }
        // Rotation: a refresh token works once.
        validRefresh.delete(presented);
      }
      if (typeof response.body.access_token === 'string') {
        validAccess.add(response.body.access_token);
        issuedTokens.push(response.body.access_token);
      }
      if (typeof response.body.refresh_token === 'string') {
        validRefresh.add(response.body.refresh_token);
        issuedTokens.push(response.body.refresh_token);
      }
    },
  );

  return {
    url,
    hostPort: new URL(url).host,
    authorizationUrl: `${url}/authorize`,
    tokenUrl: `${url}/token`,
    tokenRequests,
    issuedTokens,
    isValidAccessToken: (token) => validAccess.has(token),
    expireAccessTokens: () => validAccess.clear(),
    revokeRefreshTokens: () => validRefresh.clear(),
    denyNextAuthorization: () => {
      deny = true;
    },
    close: () => server.stop(),
  };
}
