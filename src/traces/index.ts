export { registerTraceRoutes } from './trace-routes.js';
export { buildTrace } from './trace-builder.js';
export type { Trace, TraceStep } from './trace-schemas.js';
export { formatTraceTimeline } from './format-trace-timeline.js';
