import { assertNever } from '../errors/index.js';
import type { DirectoryBuildProgress } from './build-directory-index.js';

/** One progress line: `reading specs  1200/2639 (45%) · 57,031 tools`. */
export function formatBuildProgress(progress: DirectoryBuildProgress): string {
  const tools = progress.tools.toLocaleString('en-US');
  switch (progress.phase) {
    case 'reading': {
      const percent = Math.floor((100 * progress.done) / Math.max(progress.total, 1));
      return `reading specs ${String(progress.done).padStart(String(progress.total).length)}/${progress.total} (${percent}%) · ${tools} tools`;
    }
    case 'indexing':
      return `indexing ${tools} tools`;
    case 'writing':
      return 'writing the index';
    default:
      return assertNever(progress.phase, 'directory build phase');
  }
}
