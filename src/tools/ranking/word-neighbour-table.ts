import type { StemNeighbours } from './derive-word-neighbours.js';

export interface WordNeighbour {
  stem: string;
  /** Cosine similarity, 0..1. */
  similarity: number;
}

/**
 * One line per stem, sorted: `stem neighbour:83 neighbour:70 …` with similarities in
 * hundredths. Stems with no neighbours are left out.
 */
export function formatWordNeighbours(table: readonly StemNeighbours[]): string {
  return table
    .filter(({ neighbours }) => neighbours.length > 0)
    .map(({ stem, neighbours }) =>
      [
        stem,
        ...neighbours.map(
          ({ stem: other, similarity }) => `${other}:${Math.round(similarity * 100)}`,
        ),
      ].join(' '),
    )
    .sort()
    .join('\n');
}

/**
 * The thesaurus as its text, searched by binary search over line starts: a few MB of string
 * and one offset per stem, instead of a map of arrays many times that size.
 */
export class WordNeighbourTable {
  private readonly text: string;
  private readonly lineStarts: Int32Array;

  constructor(text: string) {
    this.text = text;
    const starts: number[] = text.length > 0 ? [0] : [];
    for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) {
      starts.push(index + 1);
    }
    this.lineStarts = Int32Array.from(starts);
  }

  get size(): number {
    return this.lineStarts.length;
  }

  /** The stem's neighbours, most similar first (empty when it has none). */
  neighboursOf(stem: string): WordNeighbour[] {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const line = this.line(middle);
      const key = line.slice(0, line.indexOf(' '));
      if (key === stem) return parseNeighbours(line.slice(key.length + 1));
      if (key < stem) low = middle + 1;
      else high = middle - 1;
    }
    return [];
  }

  private line(index: number): string {
    const start = this.lineStarts[index] ?? 0;
    const next = this.lineStarts[index + 1];
    return this.text.slice(start, next === undefined ? undefined : next - 1);
  }
}

function parseNeighbours(text: string): WordNeighbour[] {
  return text.split(' ').map((entry) => {
    const colon = entry.indexOf(':');
    return { stem: entry.slice(0, colon), similarity: Number(entry.slice(colon + 1)) / 100 };
  });
}
