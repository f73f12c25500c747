import type { AuthConfigStore } from '../auth-config-store.js';
import type { ConnectionScope } from '../connection-store.js';
import type { OAuthProvider } from './oauth-client.js';

/** The OAuth 2.0 scheme a toolkit's own definition declares (e.g. from its OpenAPI document). */
export interface DeclaredOAuthScheme {
  authorizationUrl: string | undefined;
  tokenUrl: string | undefined;
  scopes: string[];
}

/** Reads a toolkit's declared OAuth scheme; implemented by the catalog in the composition root. */
export type DeclaredOAuthSchemes = (
  scope: ConnectionScope,
  toolkit: string,
) => Promise<DeclaredOAuthScheme | undefined>;

export type ProviderResolution =
  | { kind: 'none' }
  | { kind: 'provider'; provider: OAuthProvider }
  | { kind: 'not_configured'; message: string };

/**
 * Whether a toolkit acts for end users through OAuth, and with which client: the operator's
 * auth config (client id and secret, optional URL and scope overrides) over the scheme the
 * toolkit declares.
 */
export function createOAuthProviderResolver(options: {
  authConfigs: AuthConfigStore;
  declaredSchemes: DeclaredOAuthSchemes;
}) {
  return async (scope: ConnectionScope, toolkit: string): Promise<ProviderResolution> => {
    const [config, declared] = await Promise.all([
      options.authConfigs.find(scope, toolkit),
      options.declaredSchemes(scope, toolkit),
    ]);
    if (config === undefined && declared === undefined) return { kind: 'none' };
    const authorizationUrl = config?.authorizationUrl ?? declared?.authorizationUrl;
    const tokenUrl = config?.tokenUrl ?? declared?.tokenUrl;
    if (config === undefined) {
      return {
        kind: 'not_configured',
        message: `The ${toolkit} toolkit signs users in with OAuth 2.0, but no OAuth client is configured for it. Set one with POST /v1/toolkits/${toolkit}/auth_config ({"client_id", "client_secret"}).`,
      };
    }
    if (authorizationUrl === undefined || tokenUrl === undefined) {
      return {
        kind: 'not_configured',
        message: `The OAuth client for ${toolkit} lacks an authorization or token URL. Add "authorization_url" and "token_url" with POST /v1/toolkits/${toolkit}/auth_config.`,
      };
    }
    return {
      kind: 'provider',
      provider: {
        authorizationUrl,
        tokenUrl,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        scopes: config.scopes ?? declared?.scopes ?? [],
      },
    };
  };
}

export type OAuthProviderResolver = ReturnType<typeof createOAuthProviderResolver>;
