import { describe, expect, it } from 'vitest';
import { deriveWordNeighbours } from '../../../src/tools/ranking/derive-word-neighbours.js';
import {
  WordNeighbourTable,
  formatWordNeighbours,
} from '../../../src/tools/ranking/word-neighbour-table.js';
import { wordNeighbours } from '../../../src/tools/ranking/word-neighbours.js';

const VECTORS: Record<string, number[]> = {
  the: [1, 1, 1],
  cats: [1, 0.1, 0],
  cat: [1, 0, 0],
  kitten: [0.9, 0.2, 0],
  dog: [0.7, 0.7, 0],
  car: [0, 0, 1],
  x: [1, 0, 0],
};
const WORDS = ['the', 'cats', 'cat', 'kitten', 'dog', 'car', 'x'];

function derive(options: Partial<Parameters<typeof deriveWordNeighbours>[1]> = {}) {
  return deriveWordNeighbours(
    { words: WORDS, dimensions: 3, vectorOf: (word) => VECTORS[word] },
    { vocabularySize: 100, formsPerStem: 3, neighbours: 5, minimumSimilarity: 0.5, ...options },
  );
}

describe('deriveWordNeighbours', () => {
  it('groups word forms by stem and skips stop words and very short words', () => {
    expect(derive().map(({ stem }) => stem)).toEqual(['car', 'cat', 'dog', 'kitten']);
  });

  it('lists the nearest stems above the similarity floor, most similar first', () => {
    const cat = derive().find(({ stem }) => stem === 'cat');
    expect(cat?.neighbours.map(({ stem }) => stem)).toEqual(['kitten', 'dog']);
    expect(cat?.neighbours[0]?.similarity).toBeGreaterThan(cat?.neighbours[1]?.similarity ?? 1);
    expect(derive().find(({ stem }) => stem === 'car')?.neighbours).toEqual([]);
  });

  it('keeps at most the requested number of neighbours from the most frequent words', () => {
    const table = derive({ neighbours: 1, vocabularySize: 3 });
    expect(table.map(({ stem }) => stem)).toEqual(['cat', 'kitten']);
    expect(table.find(({ stem }) => stem === 'cat')?.neighbours).toHaveLength(1);
  });
});

describe('WordNeighbourTable', () => {
  const text = formatWordNeighbours([
    { stem: 'dog', neighbours: [{ stem: 'cat', similarity: 0.71 }] },
    { stem: 'alon', neighbours: [] },
    {
      stem: 'cat',
      neighbours: [
        { stem: 'kitten', similarity: 0.9 },
        { stem: 'dog', similarity: 0.71 },
      ],
    },
    { stem: 'zebra', neighbours: [{ stem: 'hors', similarity: 0.6 }] },
  ]);
  const table = new WordNeighbourTable(text);

  it('stores one sorted line per stem that has neighbours', () => {
    expect(text).toBe('cat kitten:90 dog:71\ndog cat:71\nzebra hors:60');
    expect(table.size).toBe(3);
  });

  it('finds the first, a middle and the last stem', () => {
    expect(table.neighboursOf('cat')).toEqual([
      { stem: 'kitten', similarity: 0.9 },
      { stem: 'dog', similarity: 0.71 },
    ]);
    expect(table.neighboursOf('dog')).toEqual([{ stem: 'cat', similarity: 0.71 }]);
    expect(table.neighboursOf('zebra')).toEqual([{ stem: 'hors', similarity: 0.6 }]);
  });

  it('answers nothing for a stem it does not hold', () => {
    expect(table.neighboursOf('alon')).toEqual([]);
    expect(table.neighboursOf('ca')).toEqual([]);
    expect(new WordNeighbourTable('').neighboursOf('cat')).toEqual([]);
  });
});

describe('wordNeighbours', () => {
  it('reads the shipped thesaurus: weather words for "weather", most similar first', () => {
    const neighbours = wordNeighbours('weather');
    expect(neighbours.map(({ stem }) => stem)).toEqual(expect.arrayContaining(['rain', 'storm']));
    const similarities = neighbours.map(({ similarity }) => similarity);
    expect(similarities).toEqual([...similarities].sort((left, right) => right - left));
    for (const similarity of similarities) expect(similarity).toBeGreaterThanOrEqual(0.45);
    expect(wordNeighbours('qqqzz')).toEqual([]);
  });
});
