export { systemClock, toIsoSeconds, toIsoOrNull, type Clock } from './clock.js';
