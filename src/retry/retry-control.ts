import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waiting out an outage of something a chunk must be acknowledged by (Elasticsearch, the dead-letter topic)
 * while the consumer holds the chunk's partition: nothing is committed meanwhile, the group membership is
 * kept alive, and a rebalance or a stop ends the wait with the chunk given up, not committed.
 */

/** Called between retries: keeps the consumer's session alive and says whether to go on. */
export interface RetryControl {
  readonly keepAlive: () => Promise<void>;
  readonly shouldContinue: () => boolean;
}

/** Retrying cannot help (refused credentials, a write the destination will never take): stop the process. */
export class FatalSinkError extends Error {}

/** The caller stopped (rebalance, shutdown) while a sink was waiting: the chunk is given up uncommitted. */
export class SinkStoppedError extends Error {}

/** The caller's keep-alive failed while a request was in flight; `cause` is its error. */
export class KeepAliveError extends Error {
  constructor(override readonly cause: unknown) {
    super('keep-alive failed');
  }
}

/**
 * How often, at most, the consumer session is kept alive and `shouldContinue` asked while a sink waits:
 * during a backoff pause and while a request is in flight. kafkajs sends a heartbeat only when its
 * heartbeat interval has passed, so asking more often costs nothing; asking less often than the session
 * timeout lets the broker drop the member while the destination is slow or gone (a backoff pause alone
 * grows to 30 s, the consumer's default session timeout, and a request may take a client's 30 s timeout).
 */
const KEEPALIVE_TICK_MS = 1_000;

/** Exponential backoff with full jitter, capped. */
export function backoffMs(attempt: number, baseMs = 200, capMs = 30_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.floor(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Sleeps `ms`, keeping the session alive and giving up (SinkStoppedError) as soon as the caller stops. */
export async function pauseAlive(ms: number, control: RetryControl, stoppedWhile: string): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    await control.keepAlive();
    if (!control.shouldContinue()) throw new SinkStoppedError(`stopped while ${stoppedWhile}`);
    const left = until - Date.now();
    if (left <= 0) return;
    await sleep(Math.min(left, KEEPALIVE_TICK_MS));
  }
}

/**
 * Runs a request while keeping the session alive. A keep-alive that fails (rebalance, lost membership:
 * KeepAliveError) or a caller that stops (SinkStoppedError) abandons the request: `signal` aborts it where
 * the client can cancel, and its outcome is not waited for where it cannot. The chunk is then given up, not
 * committed, and read again by whoever owns the partition next.
 */
export async function whileAlive<T>(
  control: RetryControl,
  request: (signal: AbortSignal) => Promise<T>,
  stoppedDuring: string,
): Promise<T> {
  const abort = new AbortController();
  let failure: unknown;
  let stopped = false;
  let ticking = false;
  const tick = setInterval(() => {
    if (ticking || abort.signal.aborted) return;
    if (!control.shouldContinue()) {
      stopped = true;
      abort.abort();
      return;
    }
    ticking = true;
    control.keepAlive().then(
      () => (ticking = false),
      (e: unknown) => {
        ticking = false;
        failure = e;
        abort.abort();
      },
    );
  }, KEEPALIVE_TICK_MS);
  let result: T;
  try {
    const work = request(abort.signal);
    // an abandoned request may still settle later: its outcome no longer matters
    work.catch(() => undefined);
    result = await Promise.race([work, abandoned(abort.signal)]);
  } catch (e) {
    if (failure !== undefined) throw new KeepAliveError(failure);
    if (stopped) throw new SinkStoppedError(`stopped during ${stoppedDuring}`);
    throw e;
  } finally {
    clearInterval(tick);
  }
  // the request went through, but the partition may be someone else's now: let the group decide first
  if (failure !== undefined) throw new KeepAliveError(failure);
  return result;
}

/** Rejects once `signal` aborts. */
function abandoned(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) =>
    signal.addEventListener('abort', () => reject(new Error('abandoned')), { once: true }),
  );
}
