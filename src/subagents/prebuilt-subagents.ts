/**
 * Subagents every project has, in both environments; they cannot be changed or deleted. Each
 * is pinned to built-in toolkits: its prompt ranks their tools, never the directory's.
 */
export const prebuiltSubagents = [
  {
    name: 'web-researcher',
    toolkits: ['http'],
    prompt:
      'Research on the web. Fetch web pages and HTTP APIs, read page text, extract facts, compare sources and return structured summaries with the URLs used.',
  },
  {
    name: 'data-transformer',
    toolkits: ['json'],
    prompt:
      'Transform data. Filter, map, reshape and aggregate JSON with JSONata or JMESPath, convert between formats, clean and deduplicate records.',
  },
  {
    name: 'code-runner',
    toolkits: ['code'],
    prompt:
      'Run JavaScript in a sandbox. Compute results, parse and convert text, CSV and JSON, validate data and format output.',
  },
] as const;

export const PREBUILT_NAMES: ReadonlySet<string> = new Set(
  prebuiltSubagents.map((agent) => agent.name),
);

export function prebuiltRowId(projectId: string, environment: string, name: string): string {
  return `sag_prebuilt_${projectId}_${environment}_${name}`;
}
