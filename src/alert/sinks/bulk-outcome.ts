/** What one item of a `_bulk` create response means for the record behind it. */
export type ItemVerdict = 'done' | 'retry' | 'reject';

/**
 * 201 created and 409 (already there: the same deterministic id from an earlier attempt) are done; 429 and
 * 5xx are transient; anything else (400 mapping errors, …) will never succeed and is rejected.
 */
export function itemVerdict(status: number): ItemVerdict {
  if ((status >= 200 && status < 300) || status === 409) return 'done';
  if (status === 429 || status >= 500) return 'retry';
  return 'reject';
}

/** Request-level failures: auth errors are fatal (retrying cannot fix them); the rest are transient. */
export function isFatalStatus(status: number | undefined): boolean {
  return status === 401 || status === 403;
}
