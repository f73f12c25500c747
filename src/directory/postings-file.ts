import { readFileSync, writeFileSync } from 'node:fs';
import type { PackedPostings } from '../tools/ranking/packed-postings.js';

/**
 * The packed postings of the directory's rankings, in one binary file beside the SQLite index:
 * read with a single allocation at start (blobs read through SQLite would be copied, and the
 * copies' memory stays with the process). Layout: `CADREPST`, a little-endian u32 header
 * length, a JSON header (build id, and each section's offset and length), then the sections,
 * each aligned to 8 bytes.
 */
const MAGIC = 'CADREPST';
const ALIGN = 8;

type Section = 'terms' | 'offsets' | 'idfs' | 'docs' | 'weights' | 'nameShares';
const SECTIONS: readonly Section[] = ['terms', 'offsets', 'idfs', 'docs', 'weights', 'nameShares'];

/** Per tool, what the catalog shows without reading its definition. */
export interface ToolColumns {
  toolkitOf: Int32Array;
  actions: TextList;
  /** `METHOD /path` of HTTP tools. */
  routes: TextList;
}

/** Strings stored end to end with their start offsets: one string in memory, not thousands. */
export class TextList {
  constructor(
    private readonly text: string,
    /** Start of each entry in `text`, plus its end: length + 1 entries. */
    private readonly starts: Int32Array,
  ) {}

  static of(entries: readonly string[]): TextList {
    const starts = new Int32Array(entries.length + 1);
    let at = 0;
    entries.forEach((entry, index) => {
      starts[index] = at;
      at += entry.length;
    });
    starts[entries.length] = at;
    return new TextList(entries.join(''), starts);
  }

  get length(): number {
    return this.starts.length - 1;
  }

  get(index: number): string {
    return this.text.slice(this.starts[index] ?? 0, this.starts[index + 1] ?? 0);
  }

  /** For storage. */
  parts(): { text: string; starts: Int32Array } {
    return { text: this.text, starts: this.starts };
  }
}

type ColumnSection = 'toolkitOf' | 'actions' | 'actionStarts' | 'routes' | 'routeStarts';

interface Header {
  buildId: string;
  /** Index name → section → [byte offset, byte length]. */
  indexes: Record<string, Record<Section, [number, number]>>;
  columns: Record<ColumnSection, [number, number]>;
}

export class PostingsFileError extends Error {
  override name = 'PostingsFileError';
}

export function writePostingsFile(
  file: string,
  buildId: string,
  indexes: Record<string, PackedPostings>,
  columns: ToolColumns,
): void {
  const chunks: { name: string; section: string; bytes: Uint8Array }[] = [];
  const bytesOf = (array: ArrayBufferView) =>
    new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  const actions = columns.actions.parts();
  const routes = columns.routes.parts();
  for (const [section, bytes] of [
    ['toolkitOf', bytesOf(columns.toolkitOf)],
    ['actions', Buffer.from(actions.text, 'utf8')],
    ['actionStarts', bytesOf(actions.starts)],
    ['routes', Buffer.from(routes.text, 'utf8')],
    ['routeStarts', bytesOf(routes.starts)],
  ] as const) {
    chunks.push({ name: '', section, bytes });
  }
  for (const [name, packed] of Object.entries(indexes)) {
    for (const section of SECTIONS) {
      const value = packed[section];
      const bytes =
        section === 'terms'
          ? Buffer.from((value as string[]).join('\n'), 'utf8')
          : new Uint8Array(
              (value as ArrayBufferView).buffer,
              (value as ArrayBufferView).byteOffset,
              (value as ArrayBufferView).byteLength,
            );
      chunks.push({ name, section, bytes });
    }
  }
  // The header's length depends on the offsets it lists: lay out with a fixed-width guess first.
  const layout = (start: number) => {
    const header: Header = {
      buildId,
      indexes: {},
      columns: {} as Record<ColumnSection, [number, number]>,
    };
    let offset = start;
    for (const chunk of chunks) {
      offset = align(offset);
      const place: [number, number] = [offset, chunk.bytes.byteLength];
      if (chunk.name === '') header.columns[chunk.section as ColumnSection] = place;
      else {
        const sections = (header.indexes[chunk.name] ??= {} as Record<Section, [number, number]>);
        sections[chunk.section as Section] = place;
      }
      offset += chunk.bytes.byteLength;
    }
    return { header, end: offset };
  };
  let start = 0;
  let planned = layout(start);
  for (;;) {
    const headerBytes = Buffer.from(JSON.stringify(planned.header), 'utf8');
    const needed = align(MAGIC.length + 4 + headerBytes.byteLength);
    if (needed === start) break;
    start = needed;
    planned = layout(start);
  }
  const headerBytes = Buffer.from(JSON.stringify(planned.header), 'utf8');
  const output = Buffer.alloc(planned.end);
  output.write(MAGIC, 0, 'latin1');
  output.writeUInt32LE(headerBytes.byteLength, MAGIC.length);
  headerBytes.copy(output, MAGIC.length + 4);
  for (const chunk of chunks) {
    const [offset] =
      chunk.name === ''
        ? planned.header.columns[chunk.section as ColumnSection]
        : (planned.header.indexes[chunk.name]?.[chunk.section as Section] ?? [0]);
    output.set(chunk.bytes, offset);
  }
  writeFileSync(file, output);
}

export interface PostingsFile {
  indexes: Record<string, PackedPostings>;
  columns: ToolColumns;
}

/** The postings of each index, as views into one buffer; checks the file is of `buildId`. */
export function readPostingsFile(file: string, buildId: string): PostingsFile {
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch (error) {
    throw new PostingsFileError(
      `Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (buffer.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new PostingsFileError(`${file} is not a postings file.`);
  }
  const headerLength = buffer.readUInt32LE(MAGIC.length);
  const header = JSON.parse(
    buffer.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerLength),
  ) as Header;
  if (header.buildId !== buildId) {
    throw new PostingsFileError(`${file} belongs to another build of the index.`);
  }
  // A large file is read into its own allocation, so byteOffset is 0 and views are aligned.
  const base = buffer.byteOffset;
  const view = <T>(
    Type: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => T,
    width: number,
    [offset, length]: [number, number],
  ): T => {
    if ((base + offset) % width === 0)
      return new Type(buffer.buffer, base + offset, length / width);
    const copy = new Uint8Array(length);
    copy.set(buffer.subarray(offset, offset + length));
    return new Type(copy.buffer, 0, length / width);
  };
  const result: Record<string, PackedPostings> = {};
  for (const [name, sections] of Object.entries(header.indexes)) {
    const [termsOffset, termsLength] = sections.terms;
    const terms = buffer.toString('utf8', termsOffset, termsOffset + termsLength);
    result[name] = {
      terms: terms === '' ? [] : terms.split('\n'),
      offsets: view(Int32Array, 4, sections.offsets),
      idfs: view(Float64Array, 8, sections.idfs),
      docs: view(Int32Array, 4, sections.docs),
      weights: view(Float32Array, 4, sections.weights),
      nameShares: view(Float32Array, 4, sections.nameShares),
    };
  }
  const text = ([offset, length]: [number, number]) =>
    buffer.toString('utf8', offset, offset + length);
  const { columns } = header;
  return {
    indexes: result,
    columns: {
      toolkitOf: view(Int32Array, 4, columns.toolkitOf),
      actions: new TextList(text(columns.actions), view(Int32Array, 4, columns.actionStarts)),
      routes: new TextList(text(columns.routes), view(Int32Array, 4, columns.routeStarts)),
    },
  };
}

function align(offset: number): number {
  return Math.ceil(offset / ALIGN) * ALIGN;
}
