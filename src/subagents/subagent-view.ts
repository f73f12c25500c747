import { toIsoSeconds } from '../clock/index.js';
import { fromJson } from '../storage/index.js';
import type { SelectedTool } from '../tools/index.js';
import type { SubagentObject } from './subagent-schemas.js';
import type { SubagentRow, SubagentSummaryRow } from './subagent-store.js';

const PREBUILT_SUMMARY_CACHE_SIZE = 10_000;
// Prebuilt rows never change once seeded (they cannot be updated or deleted), so every project's
// list renders them once. Keyed by row id; a row seeded again (new timestamps) renders anew.
const prebuiltSummaries = new Map<string, { row: RenderedColumns; summary: SubagentObject }>();

type RenderedColumns = Omit<SubagentSummaryRow, 'id' | 'type'>;

/** The list item. */
export function toSubagentSummary(row: SubagentSummaryRow): SubagentObject {
  if (row.type !== 'prebuilt') return renderSummary(row);
  const cached = prebuiltSummaries.get(row.id);
  // A copy, so a caller that adds fields (the full object) never changes the cached one.
  if (cached !== undefined && isSameRendering(cached.row, row)) return { ...cached.summary };
  const summary = renderSummary(row);
  if (prebuiltSummaries.size >= PREBUILT_SUMMARY_CACHE_SIZE) prebuiltSummaries.clear();
  const { name, status, tools_available, created_at, updated_at } = row;
  prebuiltSummaries.set(row.id, {
    row: { name, status, tools_available, created_at, updated_at },
    summary: { ...summary },
  });
  return summary;
}

function renderSummary(row: SubagentSummaryRow): SubagentObject {
  return {
    id: row.name,
    type: row.type,
    tools_available: row.tools_available,
    status: row.status,
    created_at: toIsoSeconds(row.created_at),
    updated_at: toIsoSeconds(row.updated_at),
  };
}

function isSameRendering(left: RenderedColumns, right: RenderedColumns): boolean {
  return (
    left.name === right.name &&
    left.status === right.status &&
    left.tools_available === right.tools_available &&
    left.created_at === right.created_at &&
    left.updated_at === right.updated_at
  );
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
