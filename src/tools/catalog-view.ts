import type { CatalogDirectory } from './catalog-directory.js';
import { toolIndexFields, toolkitIndexFields } from './catalog-fields.js';
import {
  DEFAULT_LEXICAL_INDEX_OPTIONS,
  LexicalIndex,
  buildPostings,
  createMapTermLookup,
  segmentsOf,
  tokenize,
  type CorpusStatistics,
  type TermLookup,
} from './ranking/index.js';
import { createJoinedTermLookup } from './ranking/joined-term-lookup.js';
import { createRestrictedTermLookup } from './ranking/restricted-term-lookup.js';
import { toolName, type Toolkit, type ToolDefinition } from './tool-definition.js';

/** A toolkit of a scope's catalog, whichever its source, with the range of its tools. */
export interface CatalogToolkit {
  /** Position in the view's toolkit list and id in its toolkit-level ranking. */
  ref: number;
  id: string;
  name: string;
  vendor: string;
  title: string;
  description: string;
  categories: readonly string[];
  source: Toolkit['source'];
  /** False for a directory spec without an absolute server URL: its tools cannot be called. */
  callable: boolean;
  /** A directory spec listing a templated server (`{hostname}`): a self-hosted edition. */
  selfHosted: boolean;
  /** Its tools are documents firstDoc … firstDoc + toolCount - 1 of the view. */
  firstDoc: number;
  toolCount: number;
}

/** A tool ready to run: its toolkit (for base URL and auth) and its full definition. */
export interface CatalogEntry {
  name: string;
  toolkit: Toolkit;
  tool: ToolDefinition;
}

interface LocalTool {
  toolkit: Toolkit;
  tool: ToolDefinition;
}

const DIRECTORY_TOOLKITS = new WeakMap<CatalogDirectory, CatalogToolkit[]>();
const NO_TOOLKITS: readonly CatalogToolkit[] = [];

/**
 * One scope's catalog as a single searchable corpus: the shared directory's tools first (ids
 * 0 … D-1), then the scope's built-in and registered tools (D …). The scope's own tools are
 * indexed with the directory's statistics, so all scores are on one scale. A registered
 * toolkit named like a directory toolkit hides it in this scope.
 */
export class CatalogView {
  readonly toolkits: readonly CatalogToolkit[];
  /** The directory's toolkits: the same array in every view of one directory. */
  readonly directoryToolkits: readonly CatalogToolkit[];
  readonly documentCount: number;
  /** The tool-level ranking over the whole corpus. */
  readonly index: LexicalIndex;
  /** The toolkit-level ranking (ids are toolkit refs). */
  readonly toolkitIndex: LexicalIndex;
  private readonly lookup: TermLookup;
  private readonly toolkitLookup: TermLookup;
  private readonly local: LocalTool[];
  private readonly directoryToolCount: number;
  private readonly directoryToolkitCount: number;
  private readonly byName = new Map<string, CatalogToolkit>();
  private readonly hidden = new Set<number>();

  constructor(
    readonly version: string,
    localToolkits: readonly Toolkit[],
    readonly directory: CatalogDirectory | undefined,
  ) {
    this.directoryToolCount = directory?.toolCount ?? 0;
    this.directoryToolkitCount = directory?.toolkits.length ?? 0;
    const directoryToolkits =
      directory === undefined ? NO_TOOLKITS : directoryCatalogToolkits(directory);
    this.directoryToolkits = directoryToolkits;
    const localInfos: CatalogToolkit[] = [];
    this.local = [];
    for (const toolkit of localToolkits) {
      localInfos.push({
        ref: this.directoryToolkitCount + localInfos.length,
        id: toolkit.id,
        name: toolkit.name,
        vendor: toolkit.name,
        title: firstSentence(toolkit.description),
        description: toolkit.description,
        categories: [],
        source: toolkit.source,
        callable: true,
        selfHosted: false,
        firstDoc: this.directoryToolCount + this.local.length,
        toolCount: toolkit.tools.length,
      });
      for (const tool of toolkit.tools) this.local.push({ toolkit, tool });
    }
    this.toolkits = [...directoryToolkits, ...localInfos];
    this.documentCount = this.directoryToolCount + this.local.length;
    for (const info of directoryToolkits) this.byName.set(info.name, info);
    for (const info of localInfos) {
      const shadowed = this.byName.get(info.name);
      if (shadowed !== undefined && shadowed.source === 'directory') this.hidden.add(shadowed.ref);
      this.byName.set(info.name, info);
    }

    const localFields = this.local.map(({ toolkit, tool }) =>
      toolIndexFields({ name: toolkit.name, title: firstSentence(toolkit.description) }, tool),
    );
    const localToolkitFields = localInfos.map((info) => toolkitIndexFields(info));
    if (directory === undefined) {
      this.lookup = createMapTermLookup(
        buildPostings(localFields, DEFAULT_LEXICAL_INDEX_OPTIONS).postings,
      );
      this.index = new LexicalIndex({ lookup: this.lookup, documentCount: this.documentCount });
      this.toolkitLookup = createMapTermLookup(
        buildPostings(localToolkitFields, DEFAULT_LEXICAL_INDEX_OPTIONS).postings,
      );
      this.toolkitIndex = new LexicalIndex({
        lookup: this.toolkitLookup,
        documentCount: localToolkitFields.length,
      });
      return;
    }
    const toolCorpus: CorpusStatistics = {
      documentCount: this.documentCount,
      documentFrequency: (term) => directory.toolLookup.get(term)?.docs.length ?? 0,
      averageLengths: directory.toolAverageLengths,
    };
    const localLookup = createMapTermLookup(
      buildPostings(localFields, DEFAULT_LEXICAL_INDEX_OPTIONS, toolCorpus).postings,
    );
    this.lookup = createJoinedTermLookup(
      [
        { lookup: directory.toolLookup, offset: 0 },
        { lookup: localLookup, offset: this.directoryToolCount },
      ],
      this.documentCount,
    );
    this.index = new LexicalIndex({ lookup: this.lookup, documentCount: this.documentCount });

    const toolkitCount = this.toolkits.length;
    const toolkitCorpus: CorpusStatistics = {
      documentCount: toolkitCount,
      documentFrequency: (term) => directory.toolkitLookup.get(term)?.docs.length ?? 0,
      averageLengths: directory.toolkitAverageLengths,
    };
    const localToolkitLookup = createMapTermLookup(
      buildPostings(localToolkitFields, DEFAULT_LEXICAL_INDEX_OPTIONS, toolkitCorpus).postings,
    );
    this.toolkitLookup = createJoinedTermLookup(
      [
        { lookup: directory.toolkitLookup, offset: 0 },
        { lookup: localToolkitLookup, offset: this.directoryToolkitCount },
      ],
      toolkitCount,
    );
    this.toolkitIndex = new LexicalIndex({
      lookup: this.toolkitLookup,
      documentCount: toolkitCount,
    });
  }

  /** How many tools (in any indexed field) contain a stemmed term. */
  toolFrequency(term: string): number {
    let count = 0;
    for (const { list } of segmentsOf(this.lookup, term) ?? []) count += list.docs.length;
    return count;
  }

  /** How many toolkits (by name, title, description or category) contain a stemmed term. */
  toolkitFrequency(term: string): number {
    let count = 0;
    for (const { list } of segmentsOf(this.toolkitLookup, term) ?? []) count += list.docs.length;
    return count;
  }

  /** A toolkit by name, or undefined (hidden directory toolkits are not found). */
  findToolkit(name: string): CatalogToolkit | undefined {
    return this.byName.get(name);
  }

  /** False for a directory toolkit hidden by a registered toolkit of the same name. */
  isVisible(toolkit: CatalogToolkit): boolean {
    return !this.hidden.has(toolkit.ref);
  }

  get hasHiddenToolkits(): boolean {
    return this.hidden.size > 0;
  }

  toolkitOf(doc: number): CatalogToolkit {
    const ref =
      doc < this.directoryToolCount
        ? (this.directory?.toolkitOf(doc) ?? 0)
        : this.localToolkitRef(doc - this.directoryToolCount);
    const info = this.toolkits[ref];
    if (info === undefined) throw new RangeError(`No tool ${doc} in this catalog.`);
    return info;
  }

  action(doc: number): string {
    if (doc < this.directoryToolCount) return this.directory?.action(doc) ?? '';
    return this.local[doc - this.directoryToolCount]?.tool.action ?? '';
  }

  toolName(doc: number): string {
    return `${this.toolkitOf(doc).name}__${this.action(doc)}`;
  }

  /** Stemmed words of a tool's own name: its action and, for HTTP tools, its path. */
  nameTerms(doc: number): Set<string> {
    let route = '';
    if (doc < this.directoryToolCount) route = this.directory?.route(doc) ?? '';
    else {
      const binding = this.local[doc - this.directoryToolCount]?.tool.binding;
      if (binding?.kind === 'http') route = binding.path;
    }
    return new Set(tokenize(`${this.action(doc)} ${route}`));
  }

  /** The document of a model-facing tool name, when the tool is in this catalog. */
  findDoc(name: string): number | undefined {
    const separator = name.indexOf('__');
    if (separator <= 0) return undefined;
    const toolkit = this.byName.get(name.slice(0, separator));
    if (toolkit === undefined) return undefined;
    if (toolkit.source === 'directory') return this.directory?.findTool(name);
    const action = name.slice(separator + 2);
    for (let doc = toolkit.firstDoc; doc < toolkit.firstDoc + toolkit.toolCount; doc++) {
      if (this.action(doc) === action) return doc;
    }
    return undefined;
  }

  /** The full definition (read from the directory's file for its tools). */
  definition(doc: number): ToolDefinition {
    if (doc < this.directoryToolCount) {
      if (this.directory === undefined) throw new RangeError(`No tool ${doc} in this catalog.`);
      return this.directory.definition(doc);
    }
    const local = this.local[doc - this.directoryToolCount];
    if (local === undefined) throw new RangeError(`No tool ${doc} in this catalog.`);
    return local.tool;
  }

  /** Tools ready to run, by document; each toolkit object carries the tools resolved with it. */
  entries(docs: readonly number[]): CatalogEntry[] {
    const toolkits = new Map<number, Toolkit>();
    return docs.map((doc) => {
      const tool = this.definition(doc);
      const info = this.toolkitOf(doc);
      let toolkit = toolkits.get(info.ref);
      if (toolkit === undefined) {
        toolkit =
          doc < this.directoryToolCount && this.directory !== undefined
            ? this.directory.toolkitObject(info.ref, [])
            : (this.local[doc - this.directoryToolCount]?.toolkit ?? this.missing(doc));
        toolkits.set(info.ref, toolkit);
      }
      if (toolkit.source === 'directory') toolkit.tools.push(tool);
      return { name: toolName(tool), toolkit, tool };
    });
  }

  /**
   * A ranking over some of the corpus's documents (ascending) that scores them exactly as the
   * whole corpus would; hit ids are positions in `documents`.
   */
  restrictedIndex(documents: Int32Array): LexicalIndex {
    return new LexicalIndex({
      lookup: createRestrictedTermLookup(this.lookup, documents),
      documentCount: documents.length,
    });
  }

  private localToolkitRef(localIndex: number): number {
    let low = this.directoryToolkitCount;
    let high = this.toolkits.length - 1;
    const doc = this.directoryToolCount + localIndex;
    // The last toolkit whose first document is at or before `doc`.
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.toolkits[middle]?.firstDoc ?? 0) <= doc) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private missing(doc: number): never {
    throw new RangeError(`No tool ${doc} in this catalog.`);
  }
}

function directoryCatalogToolkits(directory: CatalogDirectory): CatalogToolkit[] {
  let infos = DIRECTORY_TOOLKITS.get(directory);
  if (infos === undefined) {
    infos = directory.toolkits.map((toolkit) => ({
      ref: toolkit.index,
      id: toolkit.id,
      name: toolkit.name,
      vendor: toolkit.vendor,
      title: toolkit.title,
      description: toolkit.description,
      categories: toolkit.categories,
      source: 'directory' as const,
      callable: toolkit.baseUrl !== null,
      selfHosted: toolkit.selfHosted,
      firstDoc: toolkit.firstTool,
      toolCount: toolkit.toolCount,
    }));
    DIRECTORY_TOOLKITS.set(directory, infos);
  }
  return infos;
}

/** A short label for a toolkit that only has a description. */
function firstSentence(text: string): string {
  const end = text.search(/[.:\n]/);
  return (end === -1 ? text : text.slice(0, end)).slice(0, 120);
}
