import type { DomainSelectionReport } from './evaluate-domain-selection.js';
import { milliseconds, percent } from './format-retrieval-report.js';

export interface SelectionReportParts {
  all: DomainSelectionReport;
  tuning: DomainSelectionReport;
  heldOut: DomainSelectionReport;
}

/** The domain-selection eval as terminal lines: metrics ×100 per part, then every miss. */
export function formatSelectionReport(parts: SelectionReportParts): string {
  const { all, tuning, heldOut } = parts;
  const row = (label: string, report: DomainSelectionReport) =>
    `${label.padEnd(10)} ${String(report.cases).padStart(7)} ${percent(report.servicePrecision).padStart(10)} ${percent(report.serviceRecall).padStart(8)} ${percent(report.mustHaveRecall).padStart(10)} ${`${report.warningsGiven}/${report.warningsExpected}`.padStart(9)}`;
  const lines = [
    `${''.padEnd(10)} ${'prompts'.padStart(7)} ${'precision'.padStart(10)} ${'recall'.padStart(8)} ${'must-have'.padStart(10)} ${'warnings'.padStart(9)}`,
    row('all', all),
    row('tuning', tuning),
    row('held out', heldOut),
    `latency    p50 ${milliseconds(all.latencyP50Ms)} · p99 ${milliseconds(all.latencyP99Ms)} per deploy`,
  ];
  if (all.unexpectedVague > 0)
    lines.push(`vague warnings on specific prompts: ${all.unexpectedVague}`);
  const misses = all.results.filter(
    (result) =>
      result.missingServices.length > 0 ||
      result.extraServices.length > 0 ||
      result.missingTools.length > 0 ||
      !result.warningOk ||
      result.unexpectedVague,
  );
  if (misses.length > 0) {
    lines.push('', 'misses:');
    for (const miss of misses) {
      const parts = [
        miss.missingServices.length > 0
          ? `missing services ${miss.missingServices.join(', ')}`
          : '',
        miss.extraServices.length > 0 ? `extra services ${miss.extraServices.join(', ')}` : '',
        miss.missingTools.length > 0 ? `missing tools ${miss.missingTools.join(', ')}` : '',
        miss.warningOk ? '' : 'expected warning not given',
        miss.unexpectedVague ? 'unexpected vague warning' : '',
      ].filter((part) => part !== '');
      lines.push(`  ${miss.id}: ${parts.join('; ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
