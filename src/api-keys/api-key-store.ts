import crypto from 'node:crypto';
import type { Clock } from '../clock/index.js';
import { newId } from '../ids/index.js';
import { prepareRead, type Database, type Environment } from '../storage/index.js';
import { generateApiKey, parseApiKey } from './api-key-format.js';

/** Who a request acts as: one project and one environment (live or test data). */
export interface Principal {
  keyId: string;
  projectId: string;
  environment: Environment;
}

export interface ApiKeySummary {
  id: string;
  project: string;
  environment: Environment;
  name: string | null;
  hint: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface ApiKeyStore {
  createKey(options: {
    project?: string;
    environment: Environment;
    name?: string;
  }): Promise<ApiKeySummary & { key: string }>;
  listKeys(): Promise<ApiKeySummary[]>;
  revokeKey(id: string): Promise<boolean>;
  /**
   * The key's principal, or undefined for a bad or revoked key. A key known valid since the
   * last commit is answered at once, without I/O (not a promise); any other is looked up.
   * `changes` is the database's change counter if the caller has just read it (one read of
   * it serves both); otherwise it is read here.
   */
  authenticate(
    key: string,
    changes?: number,
  ): Principal | undefined | Promise<Principal | undefined>;
}

const LAST_USED_RESOLUTION_MS = 60_000;
const PRINCIPAL_CACHE_SIZE = 10_000;

export function createApiKeyStore(options: {
  database: Database;
  /** Hashes new keys and looks them up (the subkey of the current secret key). */
  hashKey: Buffer;
  /**
   * Hash keys of previous secret keys: a key stored under one of them still authenticates.
   * Only a hash is stored, so it cannot be re-hashed; it works while its secret key is listed.
   */
  previousHashKeys?: readonly Buffer[];
  clock: Clock;
}): ApiKeyStore {
  const { db } = options.database;
  const { clock } = options;
  const lastUsedWrites = new Map<string, number>();
  // Valid keys, each with the database's change counter when it was last known valid. Any
  // commit (a revocation included, from any process) changes the counter; a key used after a
  // change is checked again (its row by id, not the HMACs) before it is trusted, so a revoked
  // key fails at once while other writes (tasks, events) keep the cache warm.
  const principals = new Map<string, { principal: Principal; validAt: number }>();
  const hashKeys = uniqueKeys([options.hashKey, ...(options.previousHashKeys ?? [])]);
  // Every request authenticates: compile this lookup once, with one hash per configured key.
  const findByHash = prepareRead(options.database, (database, arg) =>
    database
      .selectFrom('api_keys')
      .select(['id', 'project_id', 'environment', 'revoked_at'])
      .where(
        'key_hash',
        'in',
        hashKeys.map((_, index) => arg(index)),
      ),
  );

  const findKeyState = prepareRead(options.database, (database, arg) =>
    database.selectFrom('api_keys').select('revoked_at').where('id', '=', arg(0)),
  );

  const hashWith = (hashKey: Buffer, key: string) =>
    crypto.createHmac('sha256', hashKey).update(key).digest('hex');
  const hash = (key: string) => hashWith(options.hashKey, key);

  async function ensureProject(name: string): Promise<string> {
    const existing = await db
      .selectFrom('projects')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirst();
    if (existing !== undefined) return existing.id;
    await db
      .insertInto('projects')
      .values({ id: newId('proj'), name, created_at: clock.now() })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .execute();
    const created = await db
      .selectFrom('projects')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return created.id;
  }

  // A cache hit skips `last_used_at`; once a minute the full path refreshes it.
  const isFresh = (principal: Principal) =>
    clock.now() - (lastUsedWrites.get(principal.keyId) ?? 0) < LAST_USED_RESOLUTION_MS;

  /** A cached key after some commit: still valid unless that commit revoked it. */
  async function recheck(
    key: string,
    cached: { principal: Principal; validAt: number },
    changes: number,
  ): Promise<Principal | undefined> {
    // Read after the counter, so it sees at least every change the counter counts.
    const [state] = await findKeyState(cached.principal.keyId);
    if (state !== undefined && state.revoked_at === null) {
      cached.validAt = changes;
      return cached.principal;
    }
    principals.delete(key);
    return undefined;
  }

  /** The full lookup by keyed hash; refreshes `last_used_at` at most once a minute. */
  async function lookUp(key: string, changes: number | undefined): Promise<Principal | undefined> {
    const [row] = await findByHash(...hashKeys.map((hashKey) => hashWith(hashKey, key)));
    if (row === undefined || row.revoked_at !== null) return undefined;
    const now = clock.now();
    const lastWrite = lastUsedWrites.get(row.id) ?? 0;
    if (now - lastWrite >= LAST_USED_RESOLUTION_MS) {
      lastUsedWrites.set(row.id, now);
      await db
        .updateTable('api_keys')
        .set({ last_used_at: now })
        .where('id', '=', row.id)
        .execute();
    }
    const principal = { keyId: row.id, projectId: row.project_id, environment: row.environment };
    if (changes !== undefined) {
      // Valid as of `changes` (the lookup ran after it was read): a revocation committed
      // since then changes the counter, and the next use checks the key again.
      if (principals.size >= PRINCIPAL_CACHE_SIZE) principals.clear();
      principals.set(key, { principal, validAt: changes });
    }
    return principal;
  }

  return {
    async createKey({ project = 'default', environment, name }) {
      const projectId = await ensureProject(project);
      const key = generateApiKey(environment);
      const row = {
        id: newId('key'),
        project_id: projectId,
        environment,
        name: name ?? null,
        key_hash: hash(key),
        hint: key.slice(-4),
        created_at: clock.now(),
        last_used_at: null,
        revoked_at: null,
      };
      await db.insertInto('api_keys').values(row).execute();
      return {
        key,
        id: row.id,
        project,
        environment,
        name: row.name,
        hint: row.hint,
        createdAt: row.created_at,
        lastUsedAt: null,
        revokedAt: null,
      };
    },

    async listKeys() {
      const rows = await db
        .selectFrom('api_keys')
        .innerJoin('projects', 'projects.id', 'api_keys.project_id')
        .select([
          'api_keys.id',
          'projects.name as project',
          'api_keys.environment',
          'api_keys.name',
          'api_keys.hint',
          'api_keys.created_at',
          'api_keys.last_used_at',
          'api_keys.revoked_at',
        ])
        .orderBy('api_keys.created_at', 'asc')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        project: row.project,
        environment: row.environment,
        name: row.name,
        hint: row.hint,
        createdAt: row.created_at,
        lastUsedAt: row.last_used_at,
        revokedAt: row.revoked_at,
      }));
    },

    async revokeKey(id) {
      const result = await db
        .updateTable('api_keys')
        .set({ revoked_at: clock.now() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    authenticate(key, changes = options.database.changeCounter?.()) {
      const cached = changes === undefined ? undefined : principals.get(key);
      if (cached !== undefined && changes !== undefined && isFresh(cached.principal)) {
        return cached.validAt === changes ? cached.principal : recheck(key, cached, changes);
      }
      if (parseApiKey(key) === undefined) return undefined;
      return lookUp(key, changes);
    },
  };
}

/** The same secret listed twice (e.g. the current key also under previous) is hashed once. */
function uniqueKeys(keys: readonly Buffer[]): Buffer[] {
  return keys.filter((key, index) => keys.findIndex((other) => other.equals(key)) === index);
}
