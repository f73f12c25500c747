import { evaluateRetrieval } from './evaluate-retrieval.js';
import { formatRetrievalReport } from './format-retrieval-report.js';
import { EvalSetError, loadRetrievalEvalSet } from './retrieval-eval-set.js';

const USAGE = 'Usage: cadre eval retrieval FILE.json\n';

export interface CommandOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** `cadre eval retrieval FILE.json`: scores the catalog's tool ranking on an eval set. */
export async function runEvalCommand(
  args: string[],
  output: CommandOutput = process,
): Promise<number> {
  const [kind, file, ...extra] = args;
  if (kind !== 'retrieval' || file === undefined || extra.length > 0) {
    output.stderr.write(USAGE);
    return 1;
  }
  try {
    const set = await loadRetrievalEvalSet(file);
    output.stdout.write(formatRetrievalReport(file, evaluateRetrieval(set)));
    return 0;
  } catch (error) {
    if (error instanceof EvalSetError) {
      output.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
