import { assertNever } from '../errors/index.js';
import type { Toolkit } from './tool-definition.js';
import type { ToolCallContext } from './tool-executor.js';
import {
  UserAuthorizationError,
  type UserCredential,
  type UserCredentials,
} from './user-credentials.js';

export interface UserCredentialForCall {
  credential: UserCredential | undefined;
  /** How to set up sign-in, for an answer that says the call needed it (401/403). */
  hint: string | undefined;
}

/**
 * The end user's credential for a call of `toolkit`, or a UserAuthorizationError when the call
 * cannot go out without one (no user_id on the task, or the user has not consented yet).
 */
export async function lookUpUserCredential(
  credentials: UserCredentials | undefined,
  context: ToolCallContext,
  toolkit: Toolkit,
): Promise<UserCredentialForCall> {
  if (credentials === undefined) return { credential: undefined, hint: undefined };
  const scope = { projectId: context.projectId, environment: context.environment };
  const lookup = await credentials.lookup(scope, context.userId, toolkit.name);
  switch (lookup.kind) {
    case 'none':
      return { credential: undefined, hint: lookup.hint };
    case 'credential':
      return { credential: lookup.credential, hint: undefined };
    case 'authorization_required':
      throw new UserAuthorizationError(
        lookup.reason,
        toolkit.name,
        lookup.reason === 'user_id_required'
          ? `${toolkit.name} acts on behalf of an end user, and this task has no user_id.`
          : `The user has not connected their ${toolkit.name} account yet.`,
      );
    default:
      return assertNever(lookup, 'credential lookup');
  }
}
