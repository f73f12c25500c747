import * as oauth from 'oauth4webapi';
import type { Clock } from '../../clock/index.js';

/** Where to send the user and how to exchange codes for one toolkit's OAuth 2.0 provider. */
export interface OAuthProvider {
  authorizationUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string | undefined;
  scopes: string[];
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | undefined;
  /** Epoch ms; undefined when the provider gave no lifetime. */
  expiresAt: number | undefined;
  scopes: string[];
  tokenType: string;
}

export type OAuthFailureKind = 'access_denied' | 'invalid_grant' | 'provider_error' | 'unreachable';

/** A failed authorization or token request, classified for the task error it becomes. */
export class OAuthFailure extends Error {
  constructor(
    readonly kind: OAuthFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OAuthFailure';
  }
}

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * OAuth 2.0 authorization code flow with PKCE and refresh, on oauth4webapi. Requests go
 * through Cadre's outbound fetch; plain HTTP is accepted only for hosts the operator allows
 * on private networks (local providers in development and tests).
 */
export function createOAuthClient(options: {
  fetch: Fetch;
  clock: Clock;
  isPlainHttpAllowed: (url: URL) => boolean;
}) {
  const requestOptions = (url: string) => ({
    [oauth.customFetch]: withoutIdToken(options.fetch) as typeof fetch,
    [oauth.allowInsecureRequests]: isPlainHttp(url) && options.isPlainHttpAllowed(new URL(url)),
  });
  const server = (provider: OAuthProvider): oauth.AuthorizationServer => ({
    issuer: new URL(provider.tokenUrl).origin,
    authorization_endpoint: provider.authorizationUrl,
    token_endpoint: provider.tokenUrl,
  });
  const client = (provider: OAuthProvider): oauth.Client => ({ client_id: provider.clientId });
  const clientAuth = (provider: OAuthProvider): oauth.ClientAuth =>
    provider.clientSecret === undefined
      ? oauth.None()
      : oauth.ClientSecretPost(provider.clientSecret);

  function toTokenSet(
    response: oauth.TokenEndpointResponse,
    fallbackScopes: string[],
    previousRefresh?: string,
  ): TokenSet {
    return {
      accessToken: response.access_token,
      // Providers that do not rotate refresh tokens omit it on refresh: keep the old one.
      refreshToken: response.refresh_token ?? previousRefresh,
      expiresAt:
        response.expires_in === undefined
          ? undefined
          : options.clock.now() + response.expires_in * 1000,
      scopes:
        response.scope === undefined
          ? fallbackScopes
          : response.scope.split(/[\s,]+/).filter(Boolean),
      tokenType: response.token_type,
    };
  }

  return {
    newCodeVerifier: () => oauth.generateRandomCodeVerifier(),

    /** The provider URL to send the user to (PKCE S256 and `state`). */
    async authorizationUrl(
      provider: OAuthProvider,
      request: { redirectUri: string; state: string; codeVerifier: string },
    ): Promise<URL> {
      const url = new URL(provider.authorizationUrl);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', provider.clientId);
      url.searchParams.set('redirect_uri', request.redirectUri);
      url.searchParams.set('state', request.state);
      url.searchParams.set(
        'code_challenge',
        await oauth.calculatePKCECodeChallenge(request.codeVerifier),
      );
      url.searchParams.set('code_challenge_method', 'S256');
      if (provider.scopes.length > 0) url.searchParams.set('scope', provider.scopes.join(' '));
      return url;
    },

    /** Validates the callback and exchanges its code for tokens. */
    async exchangeCode(
      provider: OAuthProvider,
      request: { callbackUrl: URL; state: string; codeVerifier: string; redirectUri: string },
    ): Promise<TokenSet> {
      const as = server(provider);
      let parameters: URLSearchParams;
      try {
        parameters = oauth.validateAuthResponse(
          as,
          client(provider),
          request.callbackUrl,
          request.state,
        );
      } catch (error) {
        const code = request.callbackUrl.searchParams.get('error');
        if (code === 'access_denied') {
          throw new OAuthFailure('access_denied', 'The user denied access at the provider.', {
            cause: error,
          });
        }
        throw new OAuthFailure(
          'provider_error',
          `The provider's answer to the authorization request was not valid${code === null ? '' : ` (${code})`}.`,
          { cause: error },
        );
      }
      try {
        const response = await oauth.authorizationCodeGrantRequest(
          as,
          client(provider),
          clientAuth(provider),
          parameters,
          request.redirectUri,
          request.codeVerifier,
          requestOptions(provider.tokenUrl),
        );
        return toTokenSet(
          await oauth.processAuthorizationCodeResponse(as, client(provider), response),
          provider.scopes,
        );
      } catch (error) {
        throw classify(error, 'exchanging the authorization code');
      }
    },

    async refresh(provider: OAuthProvider, refreshToken: string): Promise<TokenSet> {
      const as = server(provider);
      try {
        const response = await oauth.refreshTokenGrantRequest(
          as,
          client(provider),
          clientAuth(provider),
          refreshToken,
          requestOptions(provider.tokenUrl),
        );
        return toTokenSet(
          await oauth.processRefreshTokenResponse(as, client(provider), response),
          provider.scopes,
          refreshToken,
        );
      } catch (error) {
        throw classify(error, 'refreshing the access token');
      }
    },
  };
}

export type OAuthClient = ReturnType<typeof createOAuthClient>;

/**
 * Cadre uses OAuth for API access, not OpenID sign-in: an ID token some providers add to the
 * token response is dropped rather than validated against an issuer Cadre does not know.
 */
function withoutIdToken(fetchFunction: Fetch): Fetch {
  return async (url, init) => {
    const response = await fetchFunction(url, init);
    if (!(response.headers.get('content-type') ?? '').includes('json')) return response;
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return new Response(text, response);
    }
    if (body !== null && typeof body === 'object' && 'id_token' in body) {
      delete (body as Record<string, unknown>).id_token;
    }
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(body), {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}

function isPlainHttp(url: string): boolean {
  return url.startsWith('http:');
}

function classify(error: unknown, during: string): OAuthFailure {
  if (error instanceof oauth.ResponseBodyError) {
    const kind = error.error === 'invalid_grant' ? 'invalid_grant' : 'provider_error';
    return new OAuthFailure(kind, `The provider refused ${during}: ${error.error}.`, {
      cause: error,
    });
  }
  if (error instanceof TypeError || (error instanceof Error && error.name === 'TimeoutError')) {
    return new OAuthFailure('unreachable', `The provider could not be reached while ${during}.`, {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new OAuthFailure(
    'provider_error',
    `The provider's answer while ${during} was not valid: ${message}`,
    {
      cause: error,
    },
  );
}
