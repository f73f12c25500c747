import { stem } from './tokenize.js';

/**
 * A small, domain-agnostic thesaurus of how people and API authors name the same operation or
 * thing differently ("fetch" for `getX`, "remove" for `deleteX`). Each group is a set of
 * near-synonyms; a query word pulls in the rest of its group at a reduced weight. Kept short on
 * purpose: broad thesauri (WordNet) measured no gain and add noise (research/tool-retrieval.md
 * §6). Not derived from any evaluation set.
 */
const OPERATION_GROUPS: readonly string[] = [
  'get fetch retrieve obtain read',
  'search find lookup look query locate discover',
  'list enumerate browse',
  'create add make new insert generate build compose',
  'update edit modify change amend patch',
  'delete remove erase destroy discard',
  'send post submit deliver dispatch',
  'show display view present render',
  'check verify validate inspect',
  'download export save',
  'upload import load',
  'calculate compute count estimate measure',
  'analyze analysis evaluate assess examine review',
  'summarize summary digest',
  'convert transform translate',
  'schedule book reserve reservation',
  'buy purchase order',
  'recommend suggest recommendation suggestion',
  'track monitor follow',
  'cancel stop abort terminate',
  'start begin launch run execute',
  'share publish',
  'sync synchronize',
];

/** Things APIs commonly act on. */
const THING_GROUPS: readonly string[] = [
  'image picture photo',
  'document file doc',
  'email mail message',
  'sms text message',
  'contact person people customer',
  'deal opportunity',
  'meeting event appointment calendar',
  'ticket issue',
  'price cost fee',
  'login signin auth authentication credential token',
];

const GROUPS: readonly string[] = [...OPERATION_GROUPS, ...THING_GROUPS];

function buildRelated(): ReadonlyMap<string, readonly string[]> {
  const related = new Map<string, Set<string>>();
  for (const group of GROUPS) {
    const stems = [...new Set(group.split(' ').map(stem))];
    for (const term of stems) {
      const others = related.get(term) ?? new Set<string>();
      for (const other of stems) if (other !== term) others.add(other);
      related.set(term, others);
    }
  }
  return new Map([...related].map(([term, others]) => [term, [...others]]));
}

const RELATED = buildRelated();

/** Stemmed near-synonyms of a stemmed term (empty when it has none). */
export function relatedTerms(term: string): readonly string[] {
  return RELATED.get(term) ?? [];
}

/** Stems of the operation words above ("get", "remove", "sync"…): verbs, not things. */
export const OPERATION_TERMS: ReadonlySet<string> = new Set(
  OPERATION_GROUPS.flatMap((group) => group.split(' ').map(stem)),
);
