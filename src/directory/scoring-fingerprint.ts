import { DEFAULT_LEXICAL_INDEX_OPTIONS } from '../tools/ranking/index.js';

/**
 * The index-time ranking settings baked into stored postings (field weights and length
 * normalization). An index built with other settings is stale. Tokenizer changes are not
 * detected here: they bump DIRECTORY_INDEX_FORMAT.
 */
export function scoringFingerprint(): string {
  const { weights, b } = DEFAULT_LEXICAL_INDEX_OPTIONS;
  return JSON.stringify({ weights, b });
}
