import { analyzeText, isStopword, splitWords, tokenize } from '../ranking/index.js';
import { OPERATION_TERMS, relatedTerms } from '../ranking/related-words.js';

/** One capability a prompt asks for ("pull contacts"), as a search query and its terms. */
export interface CapabilityClause {
  /** The clause's words that count, as written: what is searched. */
  query: string;
  terms: string[];
  /**
   * Named services the clause mentions ("post an alert to a Slack channel"): it is about them,
   * so only they can answer it.
   */
  services: string[];
}

/**
 * Words that describe the subagent's job rather than an operation ("Handle CRM tasks", "Help
 * the team"): they do not make a phrase a capability of their own.
 */
const JOB_WORDS: ReadonlySet<string> = new Set(
  tokenize(
    'handle help assist assistant agent work working manage managing everything anything ' +
      'things stuff connect connected team',
  ),
);

/** Particles of phrasal verbs ("look up", "sign in"): with the verb they still make one word. */
const PARTICLES: ReadonlySet<string> = new Set([
  'up',
  'down',
  'out',
  'off',
  'in',
  'on',
  'over',
  'back',
]);

/** Prompts rarely list more capabilities than this; more would only add latency. */
const MAX_CLAUSES = 12;

const ITEM_BOUNDARY = /[.!?;:,\n]+|\s+(?:and|or|then|also|plus|as well as)\s+|\s*&\s*/i;

/**
 * The capabilities a prompt lists: its sentences and list items, split at `,` `;` `:` and
 * "and". A one-word item ("create and send invoices", "look up or ban members") joins the next
 * one so the verb keeps its object. Words naming services (`naming`: stem → the services it
 * names) and job words are not searched; items left without a word are dropped.
 */
export function capabilityClauses(
  prompt: string,
  naming: ReadonlyMap<string, readonly string[]>,
): CapabilityClause[] {
  const items = prompt
    .split(ITEM_BOUNDARY)
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const clauses: CapabilityClause[] = [];
  let carried = '';
  items.forEach((item, index) => {
    const text = carried === '' ? item : `${carried} ${item}`;
    const isLast = index === items.length - 1;
    const words = splitWords(item).filter((word) => !isStopword(word) && !PARTICLES.has(word));
    if (!isLast && words.length === 1) {
      carried = text;
      return;
    }
    carried = '';
    add(clauses, text, naming);
  });
  return clauses.slice(0, MAX_CLAUSES);
}

function add(
  clauses: CapabilityClause[],
  text: string,
  naming: ReadonlyMap<string, readonly string[]>,
): void {
  const words: string[] = [];
  const terms: string[] = [];
  const services = new Set<string>();
  for (const { term, word } of analyzeText(text)) {
    const named = naming.get(term);
    if (named !== undefined) for (const service of named) services.add(service);
    if (named !== undefined || JOB_WORDS.has(term)) continue;
    if (!terms.includes(term)) terms.push(term);
    if (!words.includes(word)) words.push(word);
  }
  if (terms.length === 0) return;
  const key = terms.join(' ');
  if (clauses.some((clause) => clause.terms.join(' ') === key)) return;
  clauses.push({ query: words.join(' '), terms, services: [...services] });
}

/** Verbs of capability lists that the operation thesaurus does not hold. */
const EXTRA_VERBS: ReadonlySet<string> = new Set(
  tokenize(
    'pull push export import track move take record log watch open close review reply invite ' +
      'assign organize run',
  ),
);

/**
 * What a capability acts on: its terms other than operation verbs ("contacts" of "pull
 * contacts"), with their near-synonyms ("deal" → "opportunity"). Empty for "look up", "export".
 */
export function clauseObjects(clause: CapabilityClause): Set<string> {
  const objects = new Set<string>();
  for (const term of clause.terms) {
    if (OPERATION_TERMS.has(term) || EXTRA_VERBS.has(term)) continue;
    objects.add(term);
    for (const related of relatedTerms(term)) objects.add(related);
  }
  return objects;
}
