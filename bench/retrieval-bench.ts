// Tool retrieval: the default lexical ranking on the shared eval sets (../shared/eval), plus
// latency on a synthetic catalog the size of the real one (125,000 tools).
// Run: node --import tsx bench/retrieval-bench.ts [EVAL_DIR]
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  evalToolFields,
  evaluateRetrieval,
  loadRetrievalEvalSet,
  percentile,
  type RetrievalEvalSet,
} from '../src/eval/index.js';
import { LexicalIndex } from '../src/tools/ranking/index.js';
import { describeMachine } from './support/machine.js';

const EVAL_DIR = path.resolve(
  process.argv[2] ?? path.join(import.meta.dirname, '../../shared/eval'),
);
const SETS = [
  'toole_single.json',
  'toole_multi.json',
  'seal_test_in_domain.json',
  'seal_test_out_domain.json',
];
const SCALE_TOOLS = 125_000;

function row(cells: (string | number)[]): string {
  const widths = [24, 8, 8, 9, 7, 9, 9, 10];
  return cells
    .map((cell, index) =>
      index === 0
        ? String(cell).padEnd(widths[0] ?? 24)
        : String(cell).padStart(widths[index] ?? 8),
    )
    .join(' ');
}

/**
 * Copies the Seal-Tools catalog (renamed per copy) up to `size` tools and times its queries.
 * The copies share vocabulary, which makes common terms far more common than in a real
 * catalog: a pessimistic latency figure. Ranking quality on it means nothing.
 */
function scaleRow(set: RetrievalEvalSet, size: number): string {
  const base = set.tools.map(evalToolFields);
  const documents = [];
  for (let copy = 0; documents.length < size; copy++) {
    for (const document of base) {
      if (documents.length >= size) break;
      documents.push({
        ...document,
        toolkit: `${document.toolkit} vendor${copy}`,
        action: `${document.action}V${copy}`,
      });
    }
  }
  const buildStart = performance.now();
  const index = new LexicalIndex(documents);
  const buildMs = performance.now() - buildStart;
  for (const query of set.queries.slice(0, 100)) index.search(query.query, { limit: 10 });
  const latencies = set.queries.map((query) => {
    const start = performance.now();
    index.search(query.query, { limit: 10 });
    return performance.now() - start;
  });
  return row([
    'seal copies (latency)',
    documents.length,
    set.queries.length,
    '-',
    '-',
    percentile(latencies, 50).toFixed(2),
    percentile(latencies, 99).toFixed(2),
    buildMs.toFixed(0),
  ]);
}

async function main(): Promise<void> {
  if (!existsSync(EVAL_DIR)) {
    console.error(`No eval sets in ${EVAL_DIR}; pass the directory as the first argument.`);
    process.exitCode = 1;
    return;
  }
  console.log(`machine: ${describeMachine()}`);
  console.log(row(['set', 'tools', 'queries', 'nDCG@10', 'R@5', 'p50 ms', 'p99 ms', 'build ms']));
  let seal: RetrievalEvalSet | undefined;
  for (const file of SETS) {
    const set = await loadRetrievalEvalSet(path.join(EVAL_DIR, file));
    if (file === 'seal_test_in_domain.json') seal = set;
    const report = evaluateRetrieval(set);
    console.log(
      row([
        file.replace(/\.json$/, ''),
        report.tools,
        report.queries,
        (report.ndcgAt10 * 100).toFixed(2),
        (report.recallAt5 * 100).toFixed(2),
        report.latencyP50Ms.toFixed(3),
        report.latencyP99Ms.toFixed(3),
        report.buildMs.toFixed(0),
      ]),
    );
  }
  if (seal !== undefined) console.log(scaleRow(seal, SCALE_TOOLS));
}

await main();
