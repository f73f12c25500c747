import type { DirectoryStatus } from '../catalog-directory.js';
import { tokenize } from '../ranking/index.js';
import type { DomainPlan } from './select-domain.js';

export type WarningKind = 'vague' | 'fallback' | 'unknown_service' | 'no_match' | 'directory';

export interface DomainWarning {
  kind: WarningKind;
  message: string;
}

/** With no service named, a prompt needs at least this many words that mean something. */
const MIN_UNNAMED_TERMS = 4;

/** What the deploy response says about the selection, each with how to act on it. */
export function domainWarnings(
  plan: DomainPlan,
  prompt: string,
  directory: DirectoryStatus,
): DomainWarning[] {
  const warnings: DomainWarning[] = [];
  if (directory.state === 'building' || directory.state === 'missing') {
    const progress =
      directory.progress === undefined
        ? ''
        : ` (${Math.floor((100 * directory.progress.done) / Math.max(directory.progress.total, 1))}% done)`;
    warnings.push({
      kind: 'directory',
      message: `The public API directory is not indexed yet${progress}, so only built-in and registered toolkits were searched. Update the subagent (PATCH with the same prompt) once GET /v1/catalog reports it ready.`,
    });
  }
  const namedLabels = plan.named.map((service) => displayName(service.words, service.label));
  if (plan.fallbackClauses.length > 0) {
    const fallbacks = plan.services.filter((service) => service.reason === 'fallback');
    warnings.push({
      kind: 'fallback',
      message: `${list(namedLabels)} ${namedLabels.length === 1 ? 'has' : 'have'} no operations in the catalog for ${list(plan.fallbackClauses.map((clause) => `"${clause.query}"`))} (the public directory's specs are partial for some vendors), so ${list(fallbacks.map((service) => service.toolkit))} ${fallbacks.length === 1 ? 'was' : 'were'} added for them. Register the vendor's own OpenAPI document with POST /v1/toolkits to use it instead.`,
    });
  }
  if (plan.unknownNames.length > 0) {
    warnings.push({
      kind: 'unknown_service',
      message: `No service named ${list(plan.unknownNames.map((name) => `"${name}"`))} is in the catalog; register its OpenAPI document with POST /v1/toolkits to include it.`,
    });
  }
  const domainTools = plan.tools.length;
  const contentTerms = new Set(tokenize(prompt));
  if (plan.named.length === 0 && contentTerms.size < MIN_UNNAMED_TERMS) {
    warnings.push({
      kind: 'vague',
      message: `The prompt is vague, so ${domainTools === 0 ? 'no tools' : `${domainTools} loosely related tools`} were picked. Name the services the subagent works with (e.g. "HubSpot", "Stripe", "Slack") and list the operations it performs (e.g. "pull contacts, refund payments, post messages").`,
    });
  } else if (domainTools === 0) {
    warnings.push({
      kind: 'no_match',
      message:
        'No tools in the catalog match this prompt beyond the built-in data utilities. Name the services (e.g. "Stripe", "Slack") and the operations (e.g. "refund payments, post messages"), or register a toolkit with POST /v1/toolkits.',
    });
  } else if (plan.clauses.length === 0) {
    warnings.push({
      kind: 'vague',
      message: `The prompt names ${list(namedLabels)} but no operations, so ${domainTools} of its tools were picked without a preference. List what the subagent does (e.g. "create invoices, refund charges") to focus them.`,
    });
  }
  return warnings;
}

function displayName(words: string[], fallback: string): string {
  return words.length > 0 ? words.join(' ') : fallback;
}

function list(items: string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? '';
  return `${unique.slice(0, -1).join(', ')} and ${unique.at(-1)}`;
}
