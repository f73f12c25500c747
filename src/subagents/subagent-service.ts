import type { Clock } from '../clock/index.js';
import { AppError } from '../errors/index.js';
import { fromJson, newSortableId, toJson } from '../storage/index.js';
import type { DomainSelector, SelectedTool } from '../tools/index.js';
import { PREBUILT_NAMES, prebuiltRowId, prebuiltSubagents } from './prebuilt-subagents.js';
import type { Scope, SubagentRow, SubagentStore, SubagentSummaryRow } from './subagent-store.js';

export interface SubagentService {
  deploy(scope: Scope, input: { name: string; prompt: string }): Promise<SubagentRow>;
  get(scope: Scope, name: string): Promise<SubagentRow>;
  list(
    scope: Scope,
    options: { type?: 'custom' | 'prebuilt' | undefined; limit: number; offset: number },
  ): Promise<SubagentSummaryRow[]>;
  update(scope: Scope, name: string, prompt: string): Promise<SubagentRow>;
  remove(scope: Scope, name: string): Promise<SubagentRow & { deleted_at: number }>;
  /** The subagent's domain with scores and matched words. */
  domainTools(row: SubagentRow): SelectedTool[];
  /** Any row by internal id, deleted or not (running tasks finish on deleted subagents). */
  findById(id: string): Promise<SubagentRow | undefined>;
}

export function createSubagentService(options: {
  store: SubagentStore;
  selector: DomainSelector;
  clock: Clock;
}): SubagentService {
  const { store, selector, clock } = options;
  const seeded = new Set<string>();

  async function ensurePrebuilt(scope: Scope): Promise<void> {
    const key = `${scope.projectId}:${scope.environment}`;
    if (seeded.has(key)) return;
    for (const agent of prebuiltSubagents) {
      const id = prebuiltRowId(scope.projectId, scope.environment, agent.name);
      if ((await store.findById(id)) !== undefined) continue;
      const selection = await selector.selectDomain(scope, agent.prompt, {
        toolkits: agent.toolkits,
      });
      const now = clock.now();
      await store.insert({
        id,
        project_id: scope.projectId,
        environment: scope.environment,
        name: agent.name,
        prompt: agent.prompt,
        type: 'prebuilt',
        status: 'deployed',
        tools: toJson(selection.tools),
        tools_available: selection.tools.length,
        warnings: toJson([]),
        created_at: now,
        updated_at: now,
        deleted_at: null,
      });
    }
    seeded.add(key);
  }

  async function get(scope: Scope, name: string): Promise<SubagentRow> {
    await ensurePrebuilt(scope);
    const row = await store.findByName(scope, name);
    if (row === undefined) {
      throw new AppError({
        code: 'subagent_not_found',
        message: `No subagent named '${name}' is deployed. List them with GET /v1/subagents.`,
        param: 'subagent_id',
      });
    }
    return row;
  }

  function refuseIfPrebuilt(row: SubagentRow): void {
    if (row.type === 'prebuilt') {
      throw new AppError({
        code: 'prebuilt_subagent_readonly',
        message: `'${row.name}' is a prebuilt subagent and cannot be changed or deleted. Deploy your own subagent with POST /v1/subagents.`,
      });
    }
  }

  return {
    async deploy(scope, { name, prompt }) {
      await ensurePrebuilt(scope);
      const conflict = () =>
        new AppError({
          code: 'subagent_exists',
          message: `A subagent named '${name}' already exists. Update it with PATCH /v1/subagents/${name} or choose another name.`,
          param: 'name',
        });
      if (PREBUILT_NAMES.has(name)) throw conflict();
      const selection = await selector.selectDomain(scope, prompt);
      const now = clock.now();
      const row: SubagentRow = {
        // Sortable, so subagents deployed in the same millisecond still list newest first.
        id: newSortableId('sag'),
        project_id: scope.projectId,
        environment: scope.environment,
        name,
        prompt,
        type: 'custom',
        status: 'deployed',
        tools: toJson(selection.tools),
        tools_available: selection.tools.length,
        warnings: toJson(selection.warnings),
        created_at: now,
        updated_at: now,
        deleted_at: null,
      };
      if (!(await store.insert(row))) throw conflict();
      return row;
    },

    get,

    async list(scope, listOptions) {
      await ensurePrebuilt(scope);
      return store.list(scope, listOptions);
    },

    async update(scope, name, prompt) {
      const row = await get(scope, name);
      refuseIfPrebuilt(row);
      const selection = await selector.selectDomain(scope, prompt);
      const values = {
        prompt,
        tools: toJson(selection.tools),
        tools_available: selection.tools.length,
        warnings: toJson(selection.warnings),
        updated_at: clock.now(),
      };
      if (!(await store.update(row.id, values))) return get(scope, name);
      return { ...row, ...values };
    },

    async remove(scope, name) {
      const row = await get(scope, name);
      refuseIfPrebuilt(row);
      const now = clock.now();
      if (!(await store.markDeleted(row.id, now))) await get(scope, name);
      return { ...row, status: 'deleted', deleted_at: now, updated_at: now };
    },

    domainTools(row) {
      return fromJson<SelectedTool[]>(row.tools);
    },

    findById: (id) => store.findById(id),
  };
}
