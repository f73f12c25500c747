import type { Database, Environment, SubagentsTable } from '../storage/index.js';

export type SubagentRow = SubagentsTable;

export interface Scope {
  projectId: string;
  environment: Environment;
}

/** Subagent rows. Lookups by name see only deployed (not deleted) subagents. */
export function createSubagentStore(database: Database) {
  const { db } = database;
  const live = (scope: Scope) =>
    db
      .selectFrom('subagents')
      .selectAll()
      .where('project_id', '=', scope.projectId)
      .where('environment', '=', scope.environment)
      .where('deleted_at', 'is', null);

  return {
    findByName(scope: Scope, name: string): Promise<SubagentRow | undefined> {
      return live(scope).where('name', '=', name).executeTakeFirst();
    },

    findById(id: string): Promise<SubagentRow | undefined> {
      return db.selectFrom('subagents').selectAll().where('id', '=', id).executeTakeFirst();
    },

    list(
      scope: Scope,
      options: { type?: 'custom' | 'prebuilt' | undefined; limit: number; offset: number },
    ): Promise<SubagentRow[]> {
      let query = live(scope);
      if (options.type !== undefined) query = query.where('type', '=', options.type);
      return query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(options.limit)
        .offset(options.offset)
        .execute();
    },

    /** Inserts a row; false when a deployed subagent of that name already exists. */
    async insert(row: SubagentRow): Promise<boolean> {
      const result = await db
        .insertInto('subagents')
        .values(row)
        .onConflict((conflict) => conflict.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async update(
      id: string,
      values: Pick<SubagentRow, 'prompt' | 'tools' | 'tools_available' | 'warnings' | 'updated_at'>,
    ): Promise<boolean> {
      const result = await db
        .updateTable('subagents')
        .set(values)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async markDeleted(id: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('subagents')
        .set({ status: 'deleted', deleted_at: now, updated_at: now })
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export type SubagentStore = ReturnType<typeof createSubagentStore>;
