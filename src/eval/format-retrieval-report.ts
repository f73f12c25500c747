import type { RetrievalReport } from './evaluate-retrieval.js';

/** The report as aligned terminal lines; scores ×100 like the published tables. */
export function formatRetrievalReport(file: string, report: RetrievalReport): string {
  const lines = [
    `file       ${file}`,
    `tools      ${report.tools}`,
    `queries    ${report.queries}`,
    `nDCG@10    ${percent(report.ndcgAt10)}`,
    `Recall@5   ${percent(report.recallAt5)}`,
    `latency    p50 ${milliseconds(report.latencyP50Ms)} · p99 ${milliseconds(report.latencyP99Ms)}`,
    `build      ${milliseconds(report.buildMs)}`,
  ];
  if (report.unknownGold > 0) {
    lines.push(
      `warning    ${report.unknownGold} gold entries name no tool in the set (counted as misses)`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function percent(value: number): string {
  return (value * 100).toFixed(2);
}

export function milliseconds(value: number): string {
  return `${value < 10 ? value.toFixed(3) : value.toFixed(1)} ms`;
}
