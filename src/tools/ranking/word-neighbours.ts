import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { WordNeighbourTable, type WordNeighbour } from './word-neighbour-table.js';

let table: WordNeighbourTable | undefined;

/**
 * Stems that occur in the same contexts as `term` in general English text ("recip" →
 * "cookbook", "ingredi"), most similar first: a distributional thesaurus derived once from
 * word vectors (generate-word-neighbours.ts). The table is read on first use.
 */
export function wordNeighbours(term: string): readonly WordNeighbour[] {
  table ??= loadWordNeighbourTable();
  return table.neighboursOf(term);
}

function loadWordNeighbourTable(): WordNeighbourTable {
  // assets/ sits beside src/ and dist/, so the path is the same compiled or not.
  const here = path.dirname(fileURLToPath(import.meta.url));
  const file = path.resolve(here, '../../../assets/word-neighbours.txt.gz');
  return new WordNeighbourTable(gunzipSync(readFileSync(file)).toString('utf8'));
}
