import type { DatabaseSchema } from '../storage/index.js';

type ColumnOf<Table extends keyof DatabaseSchema> = keyof DatabaseSchema[Table] & string;

/** A table whose rows hold sealed secrets in JSON text columns. */
export type SealedTable = {
  [Table in keyof DatabaseSchema]: {
    table: Table;
    /** The primary key, in its order (rows are read in pages ordered by it). */
    key: readonly ColumnOf<Table>[];
    /**
     * JSON columns that are a SealedSecret or hold some inside (found wherever they are);
     * `kidColumn` mirrors the kid of a column that is one SealedSecret.
     */
    columns: readonly { name: ColumnOf<Table>; kidColumn?: ColumnOf<Table> }[];
  };
}[keyof DatabaseSchema];

/**
 * Every place a secret is stored sealed. A new sealed column must be listed here, or
 * `cadre secrets rotate` leaves it under the old key.
 */
export const SEALED_TABLES: readonly SealedTable[] = [
  // An end user's credential (connection-store.ts).
  { table: 'connections', key: ['id'], columns: [{ name: 'secret', kidColumn: 'secret_kid' }] },
  // The operator's OAuth client secret (auth-config-store.ts).
  {
    table: 'toolkit_auth_configs',
    key: ['project_id', 'environment', 'toolkit'],
    columns: [{ name: 'client_secret', kidColumn: 'secret_kid' }],
  },
  // The PKCE code verifier of a consent flow (oauth-session-store.ts).
  { table: 'oauth_sessions', key: ['id'], columns: [{ name: 'code_verifier' }] },
  // Toolkit auth (seal-toolkit-auth.ts) and MCP env/header values in settings.mcp.
  { table: 'toolkits', key: ['id'], columns: [{ name: 'auth' }, { name: 'settings' }] },
  // Webhook signing secrets, and the one still signing after a rotation.
  {
    table: 'webhook_endpoints',
    key: ['id'],
    columns: [{ name: 'secret' }, { name: 'previous_secret' }],
  },
];
