import { isStopword, stem } from './tokenize.js';

export interface WordVectors {
  /** Words, most frequent first. */
  words: readonly string[];
  /** The vector of a word (other entries, such as a stored norm, are ignored past `dimensions`). */
  vectorOf(word: string): readonly number[] | undefined;
  dimensions: number;
}

export interface WordNeighbourOptions {
  /** How many of the most frequent plain words (a–z, not stop words) to take. */
  vocabularySize: number;
  /**
   * Word forms per stem averaged into the stem's vector, most frequent first, each weighted by
   * its Zipf frequency (1 / rank) so a rare form ("weathered") barely moves a common one's
   * meaning ("weather").
   */
  formsPerStem: number;
  /** Neighbours kept per stem. */
  neighbours: number;
  /** Cosine similarity a neighbour needs. */
  minimumSimilarity: number;
}

export interface StemNeighbours {
  stem: string;
  /** Most similar first; similarity rounded to hundredths. */
  neighbours: { stem: string; similarity: number }[];
}

const MIN_WORD_LENGTH = 3;

/**
 * For the stems of a vocabulary's most frequent words, their nearest stems by the cosine of
 * their (averaged, unit-length) word vectors: a distributional thesaurus. Brute force, which
 * takes a few minutes for 50k words and runs once, offline (generate-word-neighbours.ts).
 * Ties break on the stem, so the output depends only on the input.
 */
export function deriveWordNeighbours(
  vectors: WordVectors,
  options: WordNeighbourOptions,
): StemNeighbours[] {
  const { dimensions } = vectors;
  const forms = new Map<string, { word: string; rank: number }[]>();
  let taken = 0;
  for (const [rank, word] of vectors.words.entries()) {
    if (taken >= options.vocabularySize) break;
    if (word.length < MIN_WORD_LENGTH || !/^[a-z]+$/.test(word) || isStopword(word)) continue;
    if (vectors.vectorOf(word) === undefined) continue;
    taken++;
    const key = stem(word);
    const known = forms.get(key) ?? [];
    if (known.length < options.formsPerStem) known.push({ word, rank });
    forms.set(key, known);
  }
  const stems = [...forms.keys()].sort();
  const matrix = new Float32Array(stems.length * dimensions);
  stems.forEach((key, row) => {
    const sum = new Float64Array(dimensions);
    for (const { word, rank } of forms.get(key) ?? []) {
      addUnit(sum, vectors.vectorOf(word) ?? [], dimensions, 1 / (rank + 1));
    }
    const norm = Math.hypot(...sum) || 1;
    for (let dimension = 0; dimension < dimensions; dimension++) {
      matrix[row * dimensions + dimension] = (sum[dimension] ?? 0) / norm;
    }
  });

  const similarities = new Float32Array(stems.length);
  return stems.map((key, row) => {
    for (let other = 0; other < stems.length; other++) {
      similarities[other] = other === row ? -1 : dot(matrix, row, other, dimensions);
    }
    const candidates: number[] = [];
    for (let other = 0; other < stems.length; other++) {
      if ((similarities[other] ?? -1) >= options.minimumSimilarity) candidates.push(other);
    }
    candidates.sort((left, right) => (similarities[right] ?? 0) - (similarities[left] ?? 0));
    return {
      stem: key,
      neighbours: candidates.slice(0, options.neighbours).map((other) => ({
        stem: stems[other] ?? '',
        similarity: Math.round((similarities[other] ?? 0) * 100) / 100,
      })),
    };
  });
}

function addUnit(
  sum: Float64Array,
  vector: readonly number[],
  dimensions: number,
  weight: number,
): void {
  let squares = 0;
  for (let dimension = 0; dimension < dimensions; dimension++) {
    squares += (vector[dimension] ?? 0) ** 2;
  }
  const scale = weight / (Math.sqrt(squares) || 1);
  for (let dimension = 0; dimension < dimensions; dimension++) {
    sum[dimension] = (sum[dimension] ?? 0) + (vector[dimension] ?? 0) * scale;
  }
}

function dot(matrix: Float32Array, row: number, other: number, dimensions: number): number {
  let total = 0;
  const left = row * dimensions;
  const right = other * dimensions;
  for (let dimension = 0; dimension < dimensions; dimension++) {
    total += (matrix[left + dimension] ?? 0) * (matrix[right + dimension] ?? 0);
  }
  return total;
}
