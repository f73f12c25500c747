import type { Database, Environment, ToolkitsTable } from '../storage/index.js';
import { fromJson, fromJsonOrNull } from '../storage/index.js';
import type {
  CatalogScope,
  RegisteredToolkitSource,
  Toolkit,
  ToolkitAuth,
} from '../tools/index.js';
import type { McpServerSettings } from '../tools/mcp/index.js';

export type ToolkitRow = ToolkitsTable;

export interface ToolkitScope {
  projectId: string;
  environment: Environment;
}

export function rowToToolkit(row: ToolkitRow): Toolkit {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    source: row.source,
    baseUrl: row.base_url,
    auth: row.auth === null ? { type: 'none' } : fromJson<ToolkitAuth>(row.auth),
    tools: fromJson<Toolkit['tools']>(row.tools),
  };
}

/** Registered toolkits, and the catalog's view of them. */
/**
 * How long another process's registration may stay unseen by this one's catalog. Changes made
 * through this process are seen at once.
 */
const VERSION_RECHECK_MS = 1_000;

export function createToolkitStore(database: Database) {
  const { db } = database;
  const versions = new Map<string, { version: string; checkedAt: number }>();
  const scopeKey = (scope: ToolkitScope) => `${scope.projectId}:${scope.environment}`;
  const scoped = (scope: ToolkitScope) =>
    db
      .selectFrom('toolkits')
      .where('project_id', '=', scope.projectId)
      .where('environment', '=', scope.environment);

  const store = {
    async insert(row: ToolkitRow): Promise<boolean> {
      const result = await db
        .insertInto('toolkits')
        .values(row)
        .onConflict((conflict) => conflict.doNothing())
        .executeTakeFirst();
      versions.delete(scopeKey({ projectId: row.project_id, environment: row.environment }));
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    list(scope: ToolkitScope): Promise<ToolkitRow[]> {
      return scoped(scope)
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
    },

    /** One page, newest first. */
    listPage(scope: ToolkitScope, page: { limit: number; offset: number }): Promise<ToolkitRow[]> {
      return scoped(scope)
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
    },

    async count(scope: ToolkitScope): Promise<number> {
      const row = await scoped(scope)
        .select((select) => select.fn.countAll<number | string | bigint>().as('count'))
        .executeTakeFirst();
      return Number(row?.count ?? 0);
    },

    findByIdOrName(scope: ToolkitScope, idOrName: string): Promise<ToolkitRow | undefined> {
      return scoped(scope)
        .selectAll()
        .where((where) => where.or([where('id', '=', idOrName), where('name', '=', idOrName)]))
        .executeTakeFirst();
    },

    /** A registered toolkit's own auth and declared security schemes, by name. */
    async readAuthSettings(
      scope: ToolkitScope,
      name: string,
    ): Promise<{ auth: ToolkitAuth; authSchemes: unknown[] } | undefined> {
      const row = await scoped(scope)
        .select(['auth', 'settings'])
        .where('name', '=', name)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        auth: row.auth === null ? { type: 'none' } : fromJson<ToolkitAuth>(row.auth),
        authSchemes: fromJsonOrNull<{ auth_schemes?: unknown[] }>(row.settings)?.auth_schemes ?? [],
      };
    },

    /** The stored transport settings of an MCP toolkit, by id; undefined once it is deleted. */
    async readMcpServerSettings(id: string): Promise<McpServerSettings | undefined> {
      const row = await db
        .selectFrom('toolkits')
        .select('settings')
        .where('id', '=', id)
        .where('source', '=', 'mcp')
        .executeTakeFirst();
      return fromJsonOrNull<{ mcp?: McpServerSettings }>(row?.settings ?? null)?.mcp;
    },

    async remove(scope: ToolkitScope, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('toolkits')
        .where('project_id', '=', scope.projectId)
        .where('environment', '=', scope.environment)
        .where('id', '=', id)
        .executeTakeFirst();
      versions.delete(scopeKey(scope));
      return Number(result.numDeletedRows) > 0;
    },
  };

  const source: RegisteredToolkitSource = {
    async version(scope: CatalogScope) {
      const key = scopeKey(scope);
      const cached = versions.get(key);
      const now = performance.now();
      if (cached !== undefined && now - cached.checkedAt < VERSION_RECHECK_MS)
        return cached.version;
      const row = await scoped(scope)
        .select((select) => [
          select.fn.countAll<number>().as('count'),
          select.fn.max('updated_at').as('latest'),
          select.fn.min('id').as('first_id'),
          select.fn.max('id').as('last_id'),
        ])
        .executeTakeFirst();
      const version = [row?.count, row?.latest, row?.first_id, row?.last_id].map(String).join(':');
      versions.set(key, { version, checkedAt: now });
      return version;
    },
    async list(scope: CatalogScope) {
      return (await store.list(scope)).map(rowToToolkit);
    },
  };

  return { ...store, source };
}

export type ToolkitStore = ReturnType<typeof createToolkitStore>;
