import type { DeclaredOAuthScheme } from './oauth-provider-resolver.js';

interface FlowLike {
  flow?: unknown;
  authorizationUrl?: unknown;
  tokenUrl?: unknown;
  scopes?: unknown;
}

/**
 * The OAuth 2.0 authorization-code scheme among a toolkit's declared security schemes (as
 * read from its OpenAPI document), or undefined when end users cannot sign in with it.
 */
export function declaredOAuthScheme(schemes: readonly unknown[]): DeclaredOAuthScheme | undefined {
  for (const scheme of schemes) {
    if (scheme === null || typeof scheme !== 'object') continue;
    const { type, flows } = scheme as { type?: unknown; flows?: unknown };
    if (type !== 'oauth2' || !Array.isArray(flows)) continue;
    for (const flow of flows as FlowLike[]) {
      if (flow.flow !== 'authorizationCode') continue;
      const scopes =
        flow.scopes !== null && typeof flow.scopes === 'object' ? Object.keys(flow.scopes) : [];
      return {
        authorizationUrl:
          typeof flow.authorizationUrl === 'string' ? flow.authorizationUrl : undefined,
        tokenUrl: typeof flow.tokenUrl === 'string' ? flow.tokenUrl : undefined,
        scopes,
      };
    }
  }
  return undefined;
}
