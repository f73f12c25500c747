/** The first error in `error`'s cause chain that satisfies `predicate` (a few levels deep). */
export function findErrorCause<T>(
  error: unknown,
  predicate: (candidate: unknown) => candidate is T,
): T | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth += 1) {
    if (predicate(current)) return current;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

/** The `code` of a Node system error (ENOENT, ECONNREFUSED…) anywhere in the cause chain. */
export function findSystemErrorCode(error: unknown): string | undefined {
  const found = findErrorCause(
    error,
    (candidate): candidate is NodeJS.ErrnoException =>
      candidate instanceof Error &&
      typeof (candidate as NodeJS.ErrnoException).code === 'string' &&
      /^E[A-Z0-9_]+$/.test((candidate as NodeJS.ErrnoException).code ?? ''),
  );
  return found?.code;
}
