import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten';
import { ToolError } from '../tool-error.js';

/** What a snippet threw, read out of the sandbox. */
export interface ErrorDescription {
  name?: string;
  message: string;
  line?: number;
}

/** Reads a thrown value; Error objects keep name, message and the snippet line. */
export function describeSandboxError(
  context: QuickJSContext,
  handle: QuickJSHandle,
): ErrorDescription {
  let dumped: unknown;
  try {
    dumped = context.dump(handle);
  } catch {
    return { message: 'an error that could not be read' };
  }
  if (typeof dumped !== 'object' || dumped === null) {
    return { message: `Uncaught ${JSON.stringify(dumped) ?? String(dumped)}` };
  }
  const error = dumped as {
    name?: unknown;
    message?: unknown;
    stack?: unknown;
    lineNumber?: unknown;
  };
  const description: ErrorDescription = {
    message:
      typeof error.message === 'string' ? error.message : `Uncaught ${JSON.stringify(dumped)}`,
  };
  if (typeof error.name === 'string') description.name = error.name;
  const stackLine =
    typeof error.stack === 'string' ? /snippet\.js:(\d+)/.exec(error.stack)?.[1] : undefined;
  const line = typeof error.lineNumber === 'number' ? error.lineNumber : Number(stackLine);
  if (Number.isInteger(line) && line > 0) description.line = line;
  return description;
}

/** Maps why a run stopped to the tool error the model sees; the limits come first. */
export function sandboxFailure(
  error: ErrorDescription,
  prefix: string,
  limits: { memoryLimitBytes: number; timeLimitMs: number },
  stopped: { interrupted: boolean; outOfMemory: boolean },
): ToolError {
  if (stopped.interrupted) {
    return new ToolError({
      code: 'code_timeout',
      message: `The snippet ran longer than ${limits.timeLimitMs} ms and was stopped. Look for an endless loop, or process less data.`,
    });
  }
  if (
    stopped.outOfMemory ||
    (error.name === 'InternalError' && error.message === 'out of memory')
  ) {
    return new ToolError({
      code: 'code_memory_limit',
      message: `The snippet used more than ${formatMebibytes(limits.memoryLimitBytes)} of memory and was stopped. Build smaller intermediate values.`,
    });
  }
  const name = error.name === undefined ? '' : `${error.name}: `;
  const line = error.line === undefined ? '' : ` (line ${error.line})`;
  return new ToolError({ code: 'code_error', message: `${prefix}${name}${error.message}${line}` });
}

function formatMebibytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}
