export {
  createDatabase,
  type Database,
  type DatabaseOptions,
  type Dialect,
} from './create-database.js';
export type * from './database-schema.js';
export { toJson, fromJson, fromJsonOrNull } from './json-column.js';
export { newSortableId } from './new-sortable-id.js';
export { prepareRead, prepareStatement, prepareWrite } from './prepare-query.js';
export type { CompiledWrite } from './compiled-write.js';
