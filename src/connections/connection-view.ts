import { toIsoOrNull, toIsoSeconds } from '../clock/index.js';
import { fromJson } from '../storage/index.js';
import type { ConnectionRow } from './connection-store.js';

/** The API object: who, which toolkit, what kind; never the credential itself. */
export function toConnectionObject(row: ConnectionRow) {
  return {
    id: row.id,
    user_id: row.user_id,
    toolkit: row.toolkit,
    type: row.kind,
    status: row.status,
    scopes: fromJson<string[]>(row.scopes),
    expires_at: toIsoOrNull(row.expires_at),
    created_at: toIsoSeconds(row.created_at),
    updated_at: toIsoSeconds(row.updated_at),
  };
}
