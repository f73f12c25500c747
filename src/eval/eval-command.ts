import type { Config } from '../config/index.js';
import { evaluateRetrieval } from './evaluate-retrieval.js';
import { formatRetrievalReport } from './format-retrieval-report.js';
import { EvalSetError, loadRetrievalEvalSet } from './retrieval-eval-set.js';
import { runSelectionEval } from './run-selection-eval.js';

const USAGE = `Usage:
  cadre eval retrieval FILE.json   score tool ranking on an eval set (../shared/eval format)
  cadre eval selection [--json]    score domain selection on the labeled suite over the directory
`;

export interface CommandOutput {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

/**
 * `cadre eval retrieval FILE.json`: scores the catalog's tool ranking on an eval set.
 * `cadre eval selection`: deploys every prompt of the labeled suite against the public
 * directory (built first when missing) and prints service precision and recall, must-have
 * recall and warnings.
 */
export async function runEvalCommand(
  args: string[],
  output: CommandOutput = process,
  config?: Config,
): Promise<number> {
  const [kind, ...rest] = args;
  if (kind === 'selection' && config !== undefined) {
    const json = rest.includes('--json');
    if (rest.some((arg) => arg !== '--json')) {
      output.stderr.write(USAGE);
      return 1;
    }
    return runSelectionEval(config, output, { json });
  }
  const [file, ...extra] = rest;
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
