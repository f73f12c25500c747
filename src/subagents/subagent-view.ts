import { toIsoSeconds } from '../clock/index.js';
import { fromJson } from '../storage/index.js';
import type { SelectedTool } from '../tools/index.js';
import type { SubagentObject } from './subagent-schemas.js';
import type { SubagentRow } from './subagent-store.js';

/** The API object: `full` on GET one and on writes, `summary` in lists. */
export function toSubagentObject(row: SubagentRow, view: 'full' | 'summary'): SubagentObject {
  const base = {
    id: row.name,
    type: row.type,
    tools_available: row.tools_available,
    status: row.status,
    created_at: toIsoSeconds(row.created_at),
    updated_at: toIsoSeconds(row.updated_at),
  };
  if (view === 'summary') return base;
  const warnings = fromJson<string[]>(row.warnings);
  return {
    ...base,
    prompt: row.prompt,
    tools: fromJson<SelectedTool[]>(row.tools).map((tool) => tool.name),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}
