import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten';
import type { SandboxLogCollector, SandboxLogLevel } from './sandbox-log-collector.js';

const CONSOLE_LEVELS: Record<string, SandboxLogLevel> = {
  log: 'log',
  info: 'log',
  debug: 'log',
  warn: 'warn',
  error: 'error',
};

/** Gives the snippet a `console` whose lines land in `logs` (the only way out of the sandbox). */
export function installSandboxConsole(
  context: QuickJSContext,
  logs: SandboxLogCollector,
  own: (handle: QuickJSHandle) => QuickJSHandle,
): void {
  const consoleObject = own(context.newObject());
  for (const [method, level] of Object.entries(CONSOLE_LEVELS)) {
    const fn = own(
      context.newFunction(method, (...args) => {
        if (!logs.accepting) {
          logs.drop();
          return;
        }
        logs.add(
          level,
          args.map((arg) => formatLogArgument(context, arg)),
        );
      }),
    );
    context.setProp(consoleObject, method, fn);
  }
  context.setProp(context.global, 'console', consoleObject);
}

function formatLogArgument(context: QuickJSContext, handle: QuickJSHandle): string {
  const type = context.typeof(handle);
  if (type === 'string') return context.getString(handle);
  if (type === 'undefined') return 'undefined';
  if (type === 'function') return '[function]';
  try {
    const value: unknown = context.dump(handle);
    if (typeof value === 'string') return value;
    if (isErrorLike(value)) return `${value.name}: ${value.message}`;
    return JSON.stringify(value) ?? String(value);
  } catch {
    return `[${type}]`;
  }
}

function isErrorLike(value: unknown): value is { name: string; message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { message?: unknown }).message === 'string' &&
    'stack' in value
  );
}
