export { scopedTimeout, type ScopedTimeout } from './scoped-timeout.js';
