import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** Parameters as flat text ("name description …"), a list, or a JSON-schema `properties` map. */
const ParamsSchema = z.union([
  z.string(),
  z.array(
    z.union([z.string(), z.object({ name: z.string(), description: z.string().optional() })]),
  ),
  z.record(z.string(), z.unknown()),
]);

export const EvalToolSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().default(''),
  params: ParamsSchema.optional(),
  /** A grouping above the tool (Seal-Tools' `field`, a server or toolkit name). */
  field: z.string().optional(),
  category: z.string().optional(),
  toolkit: z.string().optional(),
});
export type EvalTool = z.infer<typeof EvalToolSchema>;

export const EvalQuerySchema = z.object({
  id: z.string(),
  query: z.string(),
  gold: z.array(z.string()).min(1),
});
export type EvalQuery = z.infer<typeof EvalQuerySchema>;

export const RetrievalEvalSetSchema = z.object({
  tools: z.array(EvalToolSchema),
  queries: z.array(EvalQuerySchema),
  gold_by: z.enum(['id', 'name']).default('id'),
});
export type RetrievalEvalSet = z.infer<typeof RetrievalEvalSetSchema>;

export class EvalSetError extends Error {
  override name = 'EvalSetError';
}

/** Reads and validates an eval file (format: ../shared/eval/README.md). */
export async function loadRetrievalEvalSet(file: string): Promise<RetrievalEvalSet> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new EvalSetError(
      `Cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = RetrievalEvalSetSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
    throw new EvalSetError(
      `${file} is not an eval set ({tools: [{id, name, description}], queries: [{id, query, gold}]}):\n${problems.join('\n')}`,
    );
  }
  return parsed.data;
}
