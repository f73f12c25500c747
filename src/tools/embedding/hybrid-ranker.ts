import type { EmbeddingClient } from './embedding-client.js';

/** A lexically ranked candidate: a stable key (the tool's name) and the text to embed. */
export interface RankedCandidate {
  key: string;
  text: string;
}

export interface HybridRankerOptions {
  /** Reciprocal rank fusion constant (60, as in the literature). */
  fusionK?: number;
  /** Tool embeddings kept in memory (by key and text). */
  cacheSize?: number;
  /** Called when the embedding model fails: the lexical order is kept. */
  onError?: (error: unknown) => void;
}

/**
 * Optional hybrid ranking (CADRE_EMBEDDING_MODEL): the lexical ranking's candidates are
 * re-ordered by reciprocal rank fusion of their lexical rank and their embedding similarity to
 * the query. Tool embeddings are computed on first use and cached. Any failure of the model
 * keeps the lexical order, which stays the tested baseline.
 */
export class HybridRanker {
  private readonly cache = new Map<string, Float32Array>();
  private readonly fusionK: number;
  private readonly cacheSize: number;

  constructor(
    private readonly client: EmbeddingClient,
    private readonly options: HybridRankerOptions = {},
  ) {
    this.fusionK = options.fusionK ?? 60;
    this.cacheSize = options.cacheSize ?? 20_000;
  }

  /** The candidates' positions in fused order (best first). */
  async order(query: string, candidates: readonly RankedCandidate[]): Promise<number[]> {
    const lexical = candidates.map((_, index) => index);
    if (candidates.length < 2 || query.trim() === '') return lexical;
    try {
      const cacheKey = (candidate: RankedCandidate) =>
        `${this.client.model}\n${candidate.key}\n${candidate.text}`;
      const missing = candidates.filter((candidate) => !this.cache.has(cacheKey(candidate)));
      const texts = [query, ...missing.map((candidate) => candidate.text)];
      const [queryVector, ...vectors] = await this.client.embed(texts);
      missing.forEach((candidate, index) => {
        const vector = vectors[index];
        if (vector !== undefined) this.remember(cacheKey(candidate), vector);
      });
      if (queryVector === undefined) return lexical;
      const similarity = candidates.map((candidate) => {
        const vector = this.cache.get(cacheKey(candidate));
        return vector === undefined ? -1 : cosine(queryVector, vector);
      });
      const byEmbedding = [...lexical].sort(
        (left, right) => (similarity[right] ?? -1) - (similarity[left] ?? -1) || left - right,
      );
      const embeddingRank = new Map(byEmbedding.map((position, rank) => [position, rank]));
      const fused = (position: number) =>
        1 / (this.fusionK + position + 1) +
        1 / (this.fusionK + (embeddingRank.get(position) ?? candidates.length) + 1);
      return [...lexical].sort((left, right) => fused(right) - fused(left) || left - right);
    } catch (error) {
      this.options.onError?.(error);
      return lexical;
    }
  }

  private remember(key: string, vector: Float32Array): void {
    if (this.cache.size >= this.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, vector);
  }
}

function cosine(left: Float32Array, right: Float32Array): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const a = left[index] ?? 0;
    const b = right[index] ?? 0;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
  }
  return leftNorm === 0 || rightNorm === 0 ? 0 : dot / Math.sqrt(leftNorm * rightNorm);
}
