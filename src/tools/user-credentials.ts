import type { Environment } from '../storage/index.js';

/** What the end user's stored credential for a toolkit contributes to a request. */
export interface UserCredential {
  connectionId: string;
  kind: 'oauth2' | 'api_key' | 'basic';
  /** Header name → value, e.g. `authorization: Bearer …`. */
  headers: [string, string][];
  /** Values to scrub from anything a tool returns or logs. */
  secrets: string[];
}

export type UserCredentialLookup =
  /**
   * Nothing of the user's to add. `hint` says how to set up sign-in when the toolkit declares
   * OAuth but the operator has configured no client (the call goes out without it).
   */
  | { kind: 'none'; hint?: string }
  | { kind: 'credential'; credential: UserCredential }
  /** The toolkit acts for end users and this task has none, or the user has not consented. */
  | { kind: 'authorization_required'; reason: 'user_id_required' | 'consent' };

/**
 * End-user credentials for tool calls, implemented by the connections feature: OAuth tokens
 * (refreshed when they expire), API keys and basic credentials per user and toolkit.
 */
export interface UserCredentials {
  lookup(
    scope: { projectId: string; environment: Environment },
    userId: string | null,
    toolkit: string,
  ): Promise<UserCredentialLookup>;
  /** The provider answered 401: refresh the OAuth token now (once per call). */
  refreshAfterUnauthorized(
    scope: { projectId: string; environment: Environment },
    credential: UserCredential,
  ): Promise<UserCredential>;
}

/**
 * A tool call that cannot run without the end user: the task waits for consent, or fails
 * when it has no `user_id`, the OAuth client lacks its URLs (`not_configured`) or the
 * credential can no longer be refreshed.
 */
export class UserAuthorizationError extends Error {
  constructor(
    readonly reason: 'user_id_required' | 'consent' | 'not_configured' | 'token_expired',
    readonly toolkit: string,
    message: string,
  ) {
    super(message);
    this.name = 'UserAuthorizationError';
  }
}

export function isUserAuthorizationError(value: unknown): value is UserAuthorizationError {
  return value instanceof UserAuthorizationError;
}
