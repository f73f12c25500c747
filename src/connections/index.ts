export {
  createConnectionStore,
  type ConnectionStore,
  type ConnectionScope,
} from './connection-store.js';
export { createAuthConfigStore, type AuthConfigStore } from './auth-config-store.js';
export {
  createConnectionService,
  type ConnectionService,
  type FindToolkitName,
} from './connection-service.js';
export { registerConnectionRoutes } from './connection-routes.js';
export { createUserCredentialService } from './user-credential-service.js';
export {
  createOAuthClient,
  OAuthFailure,
  type OAuthClient,
  type OAuthProvider,
  type TokenSet,
} from './oauth/oauth-client.js';
export { createOAuthSessionStore } from './oauth/oauth-session-store.js';
export {
  createOAuthProviderResolver,
  type DeclaredOAuthScheme,
  type DeclaredOAuthSchemes,
  type OAuthProviderResolver,
} from './oauth/oauth-provider-resolver.js';
export {
  createConsentService,
  type ConsentService,
  type ConsentOutcome,
} from './oauth/consent-service.js';
export { registerOAuthRoutes } from './oauth/oauth-routes.js';
export { declaredOAuthScheme } from './oauth/declared-oauth-scheme.js';
