export { newId } from './new-id.js';
export { randomBase62 } from './random-base62.js';
