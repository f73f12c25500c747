import type { IndexedFields } from '../tools/ranking/index.js';
import type { EvalTool } from './retrieval-eval-set.js';

/**
 * Maps an eval tool onto the index's fields the way the catalog maps a real one: the grouping
 * (toolkit, server, Seal-Tools' `field`) as the toolkit, the name as the action, and parameter
 * names with their descriptions in their own, lighter field.
 */
export function evalToolFields(tool: EvalTool): IndexedFields {
  return {
    toolkit: tool.toolkit ?? tool.category ?? tool.field ?? '',
    action: tool.name,
    description: tool.description,
    parameters: parameterText(tool.params),
  };
}

function parameterText(params: EvalTool['params']): string {
  if (params === undefined) return '';
  if (typeof params === 'string') return params;
  if (Array.isArray(params)) {
    return params
      .map((param) =>
        typeof param === 'string' ? param : `${param.name} ${param.description ?? ''}`,
      )
      .join(' ');
  }
  return Object.entries(params)
    .map(([name, schema]) => `${name} ${describe(schema)}`)
    .join(' ');
}

function describe(schema: unknown): string {
  if (typeof schema === 'string') return schema;
  if (typeof schema === 'object' && schema !== null && 'description' in schema) {
    const { description } = schema;
    if (typeof description === 'string') return description;
  }
  return '';
}
