import { performance } from 'node:perf_hooks';
import { UTILITY_TOOLKITS, type DomainSelection } from '../tools/index.js';
import type { DomainSelectionCase } from './domain-selection-suite.js';
import { percentile } from './retrieval-metrics.js';

export interface DomainSelectionCaseResult {
  id: string;
  /** Services in the domain (toolkits with at least one tool, the data utilities aside). */
  selected: string[];
  /** Share of selected services that are labeled (expected or acceptable); null when none. */
  precision: number | null;
  /** Share of expected services found; null for prompts without service labels. */
  recall: number | null;
  missingServices: string[];
  extraServices: string[];
  missingTools: string[];
  mustHaveFound: number;
  mustHaveTotal: number;
  /** The expected warning kind was given (true when none was expected). */
  warningOk: boolean;
  /** A vague-prompt warning on a prompt not labeled vague. */
  unexpectedVague: boolean;
  warnings: string[];
  latencyMs: number;
}

export interface DomainSelectionReport {
  cases: number;
  /** Macro averages over the labeled prompts, 0 … 1. */
  servicePrecision: number;
  serviceRecall: number;
  /** Micro average over all must-have tools. */
  mustHaveRecall: number;
  warningsExpected: number;
  warningsGiven: number;
  unexpectedVague: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  results: DomainSelectionCaseResult[];
}

export type SelectDomain = (prompt: string) => Promise<DomainSelection>;

/** Deploys every prompt of the suite through `select` and scores the domains against labels. */
export async function evaluateDomainSelection(
  suite: readonly DomainSelectionCase[],
  select: SelectDomain,
): Promise<DomainSelectionReport> {
  const results: DomainSelectionCaseResult[] = [];
  for (const labeled of suite) {
    const start = performance.now();
    const selection = await select(labeled.prompt);
    results.push(scoreCase(labeled, selection, performance.now() - start));
  }
  const precisions = results.flatMap((result) =>
    result.precision === null ? [] : [result.precision],
  );
  const recalls = results.flatMap((result) => (result.recall === null ? [] : [result.recall]));
  const mustHaveTotal = results.reduce((total, result) => total + result.mustHaveTotal, 0);
  const mustHaveFound = results.reduce((total, result) => total + result.mustHaveFound, 0);
  const latencies = results.map((result) => result.latencyMs);
  return {
    cases: suite.length,
    servicePrecision: mean(precisions),
    serviceRecall: mean(recalls),
    mustHaveRecall: mustHaveTotal === 0 ? 1 : mustHaveFound / mustHaveTotal,
    warningsExpected: suite.filter((labeled) => labeled.warning !== undefined).length,
    warningsGiven: results.filter(
      (result, index) => suite[index]?.warning !== undefined && result.warningOk,
    ).length,
    unexpectedVague: results.filter((result) => result.unexpectedVague).length,
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    results,
  };
}

function scoreCase(
  labeled: DomainSelectionCase,
  selection: DomainSelection,
  latencyMs: number,
): DomainSelectionCaseResult {
  const selected = [
    ...new Set(
      selection.tools.map((tool) => tool.toolkit).filter((name) => !UTILITY_TOOLKITS.has(name)),
    ),
  ];
  const names = new Set(selection.tools.map((tool) => tool.name));
  const isVague = labeled.warning === 'vague';
  const good = new Set([...labeled.services.flat(), ...(labeled.acceptable ?? [])]);
  const missingServices = labeled.services
    .filter((group) => !alternatives(group).some((name) => selected.includes(name)))
    .map((group) => alternatives(group).join('|'));
  const missingTools = labeled.mustHave
    .filter((group) => !alternatives(group).some((name) => names.has(name)))
    .map((group) => alternatives(group).join('|'));
  const extraServices = isVague ? [] : selected.filter((name) => !good.has(name));
  const kinds = new Set(selection.warningKinds);
  return {
    id: labeled.id,
    selected,
    precision:
      isVague || selected.length === 0
        ? null
        : (selected.length - extraServices.length) / selected.length,
    recall:
      labeled.services.length === 0
        ? null
        : (labeled.services.length - missingServices.length) / labeled.services.length,
    missingServices,
    extraServices,
    missingTools,
    mustHaveFound: labeled.mustHave.length - missingTools.length,
    mustHaveTotal: labeled.mustHave.length,
    warningOk: labeled.warning === undefined || kinds.has(labeled.warning),
    unexpectedVague: !isVague && kinds.has('vague'),
    warnings: selection.warnings,
    latencyMs,
  };
}

function alternatives(group: string | string[]): string[] {
  return typeof group === 'string' ? [group] : group;
}

function mean(values: number[]): number {
  return values.length === 0
    ? 0
    : values.reduce((total, value) => total + value, 0) / values.length;
}
