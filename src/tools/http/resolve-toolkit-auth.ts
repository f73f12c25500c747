import { assertNever } from '../../errors/index.js';
import type { SecretBox } from '../../secrets/index.js';
import type { EncryptedSecret, Toolkit } from '../tool-definition.js';
import { ToolError } from '../tool-error.js';
import { isReservedEnvVarName } from './is-reserved-env-var-name.js';

export interface ResolvedToolkitAuth {
  /** Headers to set last, over anything the arguments put there. */
  headers: [string, string][];
  /** Every secret value sent, so responses and errors can be scrubbed of them. */
  secrets: string[];
}

export interface SecretSources {
  secretBox: SecretBox;
  readEnvSecret: (name: string) => string | undefined;
}

const HEADER_SAFE = /^[^\r\n\0]*$/;

/**
 * The toolkit's credential as request headers. A missing or unreadable secret is a
 * `tool_auth_missing` error saying how to configure it; no message ever holds the secret.
 */
export function resolveToolkitAuth(toolkit: Toolkit, sources: SecretSources): ResolvedToolkitAuth {
  const { auth } = toolkit;
  switch (auth.type) {
    case 'none':
      return { headers: [], secrets: [] };
    case 'api_key': {
      const key = readSecret(toolkit, sources, auth.value, auth.envVar, 'value', 'API key');
      return { headers: [[auth.header, `${auth.prefix ?? ''}${key}`]], secrets: [key] };
    }
    case 'bearer': {
      const token = readSecret(toolkit, sources, auth.token, auth.envVar, 'token', 'bearer token');
      return { headers: [['authorization', `Bearer ${token}`]], secrets: [token] };
    }
    case 'basic': {
      const hasSecret = auth.password !== undefined || auth.envVar !== undefined;
      const password = hasSecret
        ? readSecret(toolkit, sources, auth.password, auth.envVar, 'password', 'password')
        : '';
      const credentials = Buffer.from(`${auth.username}:${password}`, 'utf8').toString('base64');
      return {
        headers: [['authorization', `Basic ${credentials}`]],
        secrets: [password, credentials],
      };
    }
    default:
      return assertNever(auth, 'toolkit auth type');
  }
}

function readSecret(
  toolkit: Toolkit,
  sources: SecretSources,
  sealed: EncryptedSecret | undefined,
  envVar: string | undefined,
  field: string,
  what: string,
): string {
  const name = toolkit.name;
  let secret: string | undefined;
  let origin: string;
  if (sealed !== undefined) {
    origin = `auth.${field}`;
    try {
      secret = sources.secretBox.open(sealed);
    } catch (error) {
      throw authMissing(
        `The stored ${what} of toolkit '${name}' cannot be decrypted with this server's secret key (was CADRE_SECRET_KEY changed?). Register the toolkit again with its ${what}.`,
        error,
      );
    }
  } else if (envVar !== undefined) {
    origin = `the environment variable ${envVar}`;
    if (isReservedEnvVarName(envVar)) {
      throw authMissing(
        `Toolkit '${name}' reads its ${what} from ${envVar}, but CADRE_ variables hold Cadre's own settings and are never sent to tools. Use another variable name.`,
      );
    }
    secret = sources.readEnvSecret(envVar)?.trim();
    if (secret === undefined || secret === '') {
      throw authMissing(
        `Toolkit '${name}' reads its ${what} from the environment variable ${envVar}, which is not set on the Cadre server. Set it and restart Cadre, or register the toolkit again with auth.${field}.`,
      );
    }
  } else {
    throw authMissing(
      `Toolkit '${name}' has no ${what} configured. Register it again with auth.${field} or auth.env_var.`,
    );
  }
  if (!HEADER_SAFE.test(secret)) {
    throw authMissing(
      `The ${what} of toolkit '${name}' (from ${origin}) contains line breaks, which an HTTP header cannot carry.`,
    );
  }
  return secret;
}

function authMissing(message: string, cause?: unknown): ToolError {
  return new ToolError({
    code: 'tool_auth_missing',
    message,
    ...(cause === undefined ? {} : { cause }),
  });
}
