export interface WaitForOptions {
  /** give up after this many ms (default 30 000) */
  timeoutMs?: number;
  /** pause between attempts in ms (default 200) */
  intervalMs?: number;
  /** what is being waited for, used in the timeout error */
  message?: string;
}

/**
 * Polls `predicate` until it returns a truthy value (which is returned) or the timeout passes. A predicate that
 * throws counts as "not yet"; the last error is attached to the timeout error.
 *
 *   const n = await waitFor(async () => ((await countDocs(es, 'idx-*')) >= 3 ? true : false), { timeoutMs: 10_000 });
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = 30_000, intervalMs = 200, message = 'condition' }: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let lastValue: T | undefined;
  for (;;) {
    try {
      lastValue = await predicate();
      if (lastValue) return lastValue as NonNullable<T>;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const detail =
        lastError !== undefined
          ? `last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`
          : `last value: ${JSON.stringify(lastValue)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message} (${detail})`, {
        cause: lastError,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
