export {
  createToolkitStore,
  rowToToolkit,
  type ToolkitStore,
  type ToolkitRow,
} from './toolkit-store.js';
