import { toIsoSeconds } from '../clock/index.js';
import { fromJson } from '../storage/index.js';
import type { SelectedTool } from '../tools/index.js';
import type { SubagentObject } from './subagent-schemas.js';
import type { SubagentRow, SubagentSummaryRow } from './subagent-store.js';

/** The list item. */
export function toSubagentSummary(row: SubagentSummaryRow): SubagentObject {
  return {
    id: row.name,
    type: row.type,
    tools_available: row.tools_available,
    status: row.status,
    created_at: toIsoSeconds(row.created_at),
    updated_at: toIsoSeconds(row.updated_at),
  };
}

/** The full object, on GET one and on writes. */
export function toSubagentObject(row: SubagentRow): SubagentObject {
  const warnings = fromJson<string[]>(row.warnings);
  return {
    ...toSubagentSummary(row),
    prompt: row.prompt,
    tools: fromJson<SelectedTool[]>(row.tools).map((tool) => tool.name),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}
