import { sql, type Kysely } from 'kysely';
import {
  prepareRead,
  type Database,
  type DatabaseSchema,
  type Environment,
  type SubagentsTable,
} from '../storage/index.js';

export type SubagentRow = SubagentsTable;

const SUMMARY_COLUMNS = [
  'id',
  'name',
  'type',
  'status',
  'tools_available',
  'created_at',
  'updated_at',
] as const;

export type SubagentSummaryRow = Pick<SubagentRow, (typeof SUMMARY_COLUMNS)[number]>;

// Every column, named: the row reader builds rows from named columns faster than from `*`
// (see sqlite-row-reader.ts), and the row type fails to compile if a column is left out.
const ROW_COLUMNS = [
  'id',
  'project_id',
  'environment',
  'name',
  'prompt',
  'type',
  'status',
  'tools',
  'tools_available',
  'warnings',
  'created_at',
  'updated_at',
  'deleted_at',
] as const satisfies readonly (keyof SubagentRow)[];

export interface Scope {
  projectId: string;
  environment: Environment;
}

/** Subagent rows. Lookups by name see only deployed (not deleted) subagents. */
export function createSubagentStore(database: Database) {
  const { db } = database;
  const page = (database: Kysely<DatabaseSchema>, arg: (index: number) => never, byType: boolean) =>
    database
      .selectFrom('subagents')
      .select(SUMMARY_COLUMNS)
      .where('project_id', '=', arg(0))
      .where('environment', '=', arg(1))
      .where('deleted_at', 'is', null)
      .$if(byType, (query) => query.where('type', '=', arg(2)))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      // SQLite plans with the value of a LIMIT/OFFSET bound as a plain parameter, so binding one
      // recompiles the statement on every call; behind a cast the plan is compiled once.
      .limit(sql<number>`cast(${arg(byType ? 3 : 2)} as integer)`)
      .offset(sql<number>`cast(${arg(byType ? 4 : 3)} as integer)`);
  // Listing is a hot read: compile both shapes once.
  const listAll = prepareRead(database, (database, arg) => page(database, arg, false));
  const listOfType = prepareRead(database, (database, arg) => page(database, arg, true));
  // Every task creation resolves its subagent by name.
  const findLiveByName = prepareRead(database, (database, arg) =>
    database
      .selectFrom('subagents')
      .select(ROW_COLUMNS)
      .where('project_id', '=', arg(0))
      .where('environment', '=', arg(1))
      .where('deleted_at', 'is', null)
      .where('name', '=', arg(2)),
  );

  // Every task run loads its subagent by id.
  const findOneById = prepareRead(database, (database, arg) =>
    database.selectFrom('subagents').select(ROW_COLUMNS).where('id', '=', arg(0)),
  );

  return {
    async findByName(scope: Scope, name: string): Promise<SubagentRow | undefined> {
      return (await findLiveByName(scope.projectId, scope.environment, name))[0];
    },

    async findById(id: string): Promise<SubagentRow | undefined> {
      return (await findOneById(id))[0];
    },

    /** One page, newest first, with the columns a list item shows. */
    list(
      scope: Scope,
      options: { type?: 'custom' | 'prebuilt' | undefined; limit: number; offset: number },
    ): Promise<SubagentSummaryRow[]> {
      return options.type === undefined
        ? listAll(scope.projectId, scope.environment, options.limit, options.offset)
        : listOfType(
            scope.projectId,
            scope.environment,
            options.type,
            options.limit,
            options.offset,
          );
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
