export { registerCatalogRoutes } from './catalog-routes.js';
export { createToolkitDirectory, DIRECTORY_ID_PREFIX } from './create-toolkit-directory.js';
export { catalogStatus } from './catalog-status.js';
export {
  runCatalogCommand,
  buildWithProgress,
  type CatalogCommandOutput,
} from './catalog-command.js';
export type { CatalogStatusObject } from './catalog-schemas.js';
