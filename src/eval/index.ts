export { runEvalCommand, type CommandOutput } from './eval-command.js';
export {
  evaluateRetrieval,
  type RetrievalReport,
  type EvaluateRetrievalOptions,
  type Searcher,
} from './evaluate-retrieval.js';
export { ndcgAt, recallAt, percentile } from './retrieval-metrics.js';
export {
  loadRetrievalEvalSet,
  EvalSetError,
  type RetrievalEvalSet,
  type EvalTool,
  type EvalQuery,
} from './retrieval-eval-set.js';
export { evalToolFields } from './eval-tool-fields.js';
export { formatRetrievalReport } from './format-retrieval-report.js';
export { DOMAIN_SELECTION_SUITE, type DomainSelectionCase } from './domain-selection-suite.js';
export {
  evaluateDomainSelection,
  type DomainSelectionReport,
  type DomainSelectionCaseResult,
  type SelectDomain,
} from './evaluate-domain-selection.js';
export { formatSelectionReport, type SelectionReportParts } from './format-selection-report.js';
