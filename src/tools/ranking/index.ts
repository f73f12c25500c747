export {
  LexicalIndex,
  DEFAULT_LEXICAL_INDEX_OPTIONS,
  type IndexedFields,
  type LexicalIndexOptions,
  type SearchHit,
  type SearchOptions,
} from './lexical-index.js';
export { tokenize, splitWords, stem, isStopword } from './tokenize.js';
export { porter2Stem } from './porter2-stem.js';
export { splitClauses } from './split-clauses.js';
