export {
  LexicalIndex,
  DEFAULT_LEXICAL_INDEX_OPTIONS,
  type IndexedFields,
  type LexicalIndexOptions,
  type SearchHit,
  type SearchOptions,
  type PrebuiltPostings,
} from './lexical-index.js';
export {
  buildPostings,
  averageFieldLengths,
  inverseDocumentFrequency,
  isBigramKey,
  FIELDS,
  type BuiltPostings,
  type CorpusStatistics,
  type Field,
  type FieldText,
  type PostingList,
  type ScoreArray,
} from './build-postings.js';
export {
  createMapTermLookup,
  sortedExtensions,
  segmentsOf,
  lowerBound,
  type TermLookup,
  type PostingSegment,
} from './term-lookup.js';
export {
  tokenize,
  splitWords,
  stem,
  isStopword,
  analyzeText,
  type AnalyzedTerm,
} from './tokenize.js';
export { porter2Stem } from './porter2-stem.js';
export { splitClauses } from './split-clauses.js';
