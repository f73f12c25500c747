import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { deflateRawSync } from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import { toolIndexFields, toolkitIndexFields } from '../tools/catalog-fields.js';
import type { ToolBinding } from '../tools/index.js';
import {
  DEFAULT_LEXICAL_INDEX_OPTIONS,
  buildPostings,
  type FieldText,
} from '../tools/ranking/index.js';
import { packPostings } from '../tools/ranking/packed-postings.js';
import { convertDirectorySpec, type DirectoryToolkitDraft } from './convert-directory-spec.js';
import {
  DIRECTORY_INDEX_FORMAT,
  DIRECTORY_INDEX_SCHEMA,
  postingsOf,
  type DirectoryBuildStats,
  type StoredDefinition,
} from './directory-index-format.js';
import { assignSlugs } from './directory-slug.js';
import { listDirectorySpecs, specFile } from './list-directory-specs.js';
import { TextList, writePostingsFile } from './postings-file.js';
import { scoringFingerprint } from './scoring-fingerprint.js';

export interface DirectoryBuildProgress {
  phase: 'reading' | 'indexing' | 'writing';
  /** Specs read so far (reading), else equal to total. */
  done: number;
  total: number;
  tools: number;
}

export interface BuildDirectoryIndexOptions {
  specRoot: string;
  directoryVersion: string;
  /** Where the index goes; it appears there complete or not at all. */
  file: string;
  /** Only these specs (tests); default: every spec under specRoot. */
  specIds?: readonly string[];
  /** Toolkit names the directory may not take (the built-ins). */
  reservedNames?: ReadonlySet<string>;
  onProgress?: (progress: DirectoryBuildProgress) => void;
}

/**
 * Reads every spec of the directory once and writes the index Cadre searches from then on: one
 * SQLite file with the toolkits, each tool's full definition and documented response (deflated,
 * read on demand), and the packed postings of the tool-level and toolkit-level rankings.
 * CPU-bound and synchronous: `cadre serve` runs it in a child process.
 */
export function buildDirectoryIndex(options: BuildDirectoryIndexOptions): DirectoryBuildStats {
  const started = performance.now();
  const specIds = [...(options.specIds ?? listDirectorySpecs(options.specRoot))].sort();
  const slugs = assignSlugs(specIds, options.reservedNames);
  mkdirSync(path.dirname(options.file), { recursive: true });
  const temporary = `${options.file}.${process.pid}.tmp`;
  const buildId = randomUUID();
  rmSync(temporary, { force: true });
  const database = new BetterSqlite3(temporary);
  try {
    database.pragma('journal_mode = OFF');
    database.pragma('synchronous = OFF');
    database.exec(DIRECTORY_INDEX_SCHEMA);
    const insertToolkit = database.prepare(
      `INSERT INTO toolkits (id, slug, spec_id, vendor, title, description, categories, base_url,
        servers, version, auth_schemes, warnings, first_tool, tool_count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertTool = database.prepare(
      'INSERT INTO tools (id, toolkit_id, action, definition) VALUES (?, ?, ?, ?)',
    );
    const insertResponse = database.prepare(
      'INSERT INTO tool_responses (id, response) VALUES (?, ?)',
    );
    const insertMeta = database.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');

    const toolFields: FieldText[] = [];
    const toolkitOf: number[] = [];
    const actions: string[] = [];
    const routes: string[] = [];
    const toolkitFields: FieldText[] = [];
    const skippedSpecs: DirectoryBuildStats['skippedSpecs'] = [];
    let skippedOperations = 0;
    const report = (progress: DirectoryBuildProgress) => options.onProgress?.(progress);

    database.transaction(() => {
      specIds.forEach((specId, index) => {
        const slug = slugs.get(specId) ?? specId;
        let document: unknown;
        let draft: DirectoryToolkitDraft;
        try {
          document = JSON.parse(readFileSync(specFile(options.specRoot, specId), 'utf8'));
          draft = convertDirectorySpec(specId, document, slug);
        } catch (error) {
          skippedSpecs.push({ specId, reason: describeError(error) });
          skippedOperations += countOperations(document);
          report({
            phase: 'reading',
            done: index + 1,
            total: specIds.length,
            tools: toolFields.length,
          });
          return;
        }
        skippedOperations += Math.max(0, countOperations(document) - draft.tools.length);
        const toolkitId = toolkitFields.length;
        insertToolkit.run(
          toolkitId,
          draft.slug,
          draft.specId,
          draft.vendor,
          draft.title,
          draft.description,
          JSON.stringify(draft.categories),
          draft.baseUrl,
          JSON.stringify(draft.servers),
          draft.version,
          JSON.stringify(draft.authSchemes),
          JSON.stringify(draft.warnings),
          toolFields.length,
          draft.tools.length,
        );
        toolkitFields.push(toolkitIndexFields({ ...draft, name: draft.slug }));
        const label = { name: draft.slug, title: draft.title };
        for (const tool of draft.tools) {
          let binding: ToolBinding = tool.binding;
          if (binding.kind === 'http' && binding.response !== undefined) {
            const { response, ...withoutResponse } = binding;
            binding = withoutResponse;
            insertResponse.run(toolFields.length, deflateRawSync(JSON.stringify(response)));
          }
          const stored: StoredDefinition = {
            description: tool.description,
            parameters: tool.parameters,
            binding,
            sideEffects: tool.sideEffects,
          };
          const route =
            tool.binding.kind === 'http' ? `${tool.binding.method} ${tool.binding.path}` : '';
          insertTool.run(
            toolFields.length,
            toolkitId,
            tool.action,
            deflateRawSync(JSON.stringify(stored)),
          );
          toolkitOf.push(toolkitId);
          actions.push(tool.action);
          routes.push(route);
          toolFields.push(toolIndexFields(label, tool));
        }
        report({
          phase: 'reading',
          done: index + 1,
          total: specIds.length,
          tools: toolFields.length,
        });
      });

      report({
        phase: 'indexing',
        done: specIds.length,
        total: specIds.length,
        tools: toolFields.length,
      });
      const toolCount = toolFields.length;
      const tools = buildPostings(toolFields, DEFAULT_LEXICAL_INDEX_OPTIONS);
      toolFields.length = 0;
      const toolkits = buildPostings(toolkitFields, DEFAULT_LEXICAL_INDEX_OPTIONS);
      report({ phase: 'writing', done: specIds.length, total: specIds.length, tools: toolCount });
      writePostingsFile(
        postingsOf(temporary),
        buildId,
        { tools: packPostings(tools.postings), toolkits: packPostings(toolkits.postings) },
        {
          toolkitOf: Int32Array.from(toolkitOf),
          actions: TextList.of(actions),
          routes: TextList.of(routes),
        },
      );
      insertMeta.run('postings', buildId);
      insertMeta.run('tools.average_lengths', JSON.stringify(tools.averageLengths));
      insertMeta.run('toolkits.average_lengths', JSON.stringify(toolkits.averageLengths));
    })();

    const toolCount = (
      database.prepare('SELECT count(*) AS count FROM tools').get() as { count: number }
    ).count;
    const stats: DirectoryBuildStats = {
      directoryVersion: options.directoryVersion,
      builtAt: new Date().toISOString(),
      buildMs: Math.round(performance.now() - started),
      specs: specIds.length,
      toolkits: toolkitFields.length,
      tools: toolCount,
      skippedOperations,
      skippedSpecs,
    };
    insertMeta.run('format', String(DIRECTORY_INDEX_FORMAT));
    insertMeta.run('scoring', scoringFingerprint());
    insertMeta.run('stats', JSON.stringify(stats));
    database.close();
    // The postings first: the index file appearing is what makes the build visible.
    renameSync(postingsOf(temporary), postingsOf(options.file));
    renameSync(temporary, options.file);
    return stats;
  } catch (error) {
    if (database.open) database.close();
    rmSync(temporary, { force: true });
    rmSync(postingsOf(temporary), { force: true });
    throw error;
  }
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

function countOperations(document: unknown): number {
  if (typeof document !== 'object' || document === null) return 0;
  const paths = (document as { paths?: unknown }).paths;
  if (typeof paths !== 'object' || paths === null) return 0;
  let count = 0;
  for (const item of Object.values(paths)) {
    if (typeof item !== 'object' || item === null) continue;
    for (const method of HTTP_METHODS) if (method in item) count++;
  }
  return count;
}

function describeError(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}
