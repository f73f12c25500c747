export {
  DirectoryProvider,
  type DirectoryProviderOptions,
  type DirectoryLogger,
} from './directory-provider.js';
export { DirectoryIndex, DirectoryIndexError } from './directory-index.js';
export { buildDirectoryIndex, type DirectoryBuildProgress } from './build-directory-index.js';
export {
  DIRECTORY_INDEX_FORMAT,
  directoryIndexFileName,
  type DirectoryBuildStats,
} from './directory-index-format.js';
export {
  findDirectoryPackage,
  listDirectorySpecs,
  type DirectoryPackage,
} from './list-directory-specs.js';
export {
  assignSlugs,
  nameSpec,
  vendorOf,
  MAX_SLUG_LENGTH,
  type SpecName,
} from './directory-slug.js';
export { convertDirectorySpec, type DirectoryToolkitDraft } from './convert-directory-spec.js';
export { formatBuildProgress } from './format-build-progress.js';
