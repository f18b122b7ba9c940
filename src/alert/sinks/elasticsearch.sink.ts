import type { Client } from '@elastic/elasticsearch';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Alert } from '../../domain/alert';
import type { FoldedAlert } from '../alert-folder';
import { toNested } from '../../domain/event';
import type { Logger } from '../../observability/logger';
import { backoffMs, isFatalStatus, itemVerdict } from './bulk-outcome';

export class FatalSinkError extends Error {}
export class SinkStoppedError extends Error {}

export interface RejectedAlert {
  readonly alert: Alert;
  readonly reason: string;
}

/** Called between retries: keeps the consumer's session alive and says whether to go on. */
export interface RetryControl {
  readonly keepAlive: () => Promise<void>;
  readonly shouldContinue: () => boolean;
}

/**
 * How often, at most, the consumer session is kept alive and `shouldContinue` asked while the sink waits:
 * during a backoff pause and while a bulk request is in flight. kafkajs sends a heartbeat only when its
 * heartbeat interval has passed, so asking more often costs nothing; asking less often than the session
 * timeout lets the broker drop the member while Elasticsearch is slow or gone (a backoff pause alone grows
 * to 30 s, the consumer's default session timeout, and a request may take the client's 30 s timeout).
 */
const KEEPALIVE_TICK_MS = 1_000;

/**
 * Writes alerts with `_bulk` `create` and their deterministic ids. Returns only when every alert is either
 * in Elasticsearch (created now or before: 409) or permanently rejected (returned with the reason).
 * Transient failures are retried with backoff for as long as the caller wants; auth failures are fatal.
 * The caller's session is kept alive the whole time, including during a request that takes up to the
 * client's timeout; a failing keep-alive (the group is rebalancing) ends the wait with that error.
 */
export class ElasticsearchSink {
  constructor(
    private readonly client: Client,
    private readonly logger: Logger,
  ) {}

  async index(alerts: readonly FoldedAlert[], control: RetryControl): Promise<RejectedAlert[]> {
    let pending = [...alerts];
    const rejected: RejectedAlert[] = [];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await this.pause(backoffMs(attempt), control);
      const retry: FoldedAlert[] = [];
      try {
        const response = await this.whileAlive(control, (signal) =>
          this.client.bulk({ operations: pending.flatMap(operation) }, { signal }),
        );
        response.items.forEach((item, i) => {
          const result = item.create ?? item.update ?? Object.values(item)[0];
          const folded = pending[i]!;
          const alert = folded.alert;
          const status = result?.status ?? 500;
          const verdict = itemVerdict(status);
          if (verdict === 'retry') retry.push(folded);
          else if (verdict === 'reject') {
            rejected.push({
              alert,
              reason:
                `elasticsearch ${status}: ${result?.error?.type ?? ''} ${result?.error?.reason ?? ''}`.trim(),
            });
          }
        });
      } catch (e) {
        if (e instanceof SinkStoppedError) throw e;
        if (e instanceof KeepAliveError) throw e.cause;
        const status = (e as { meta?: { statusCode?: number } }).meta?.statusCode;
        if (isFatalStatus(status))
          throw new FatalSinkError(`elasticsearch refused the credentials (${status})`);
        this.logger.warn({ attempt, status, err: (e as Error).message }, 'bulk request failed; retrying');
        retry.push(...pending);
      }
      pending = retry;
    }
    return rejected;
  }

  /** Sleeps `ms`, keeping the session alive and giving up as soon as the caller stops. */
  private async pause(ms: number, control: RetryControl): Promise<void> {
    const until = Date.now() + ms;
    for (;;) {
      await control.keepAlive();
      if (!control.shouldContinue()) throw new SinkStoppedError('stopped while Elasticsearch was failing');
      const left = until - Date.now();
      if (left <= 0) return;
      await sleep(Math.min(left, KEEPALIVE_TICK_MS));
    }
  }

  /**
   * Runs a request while keeping the session alive. A keep-alive that fails (rebalance, lost membership)
   * or a caller that stops aborts the request: the chunk is given up, not committed, and read again by
   * whoever owns the partition next (alerts that did land meet 409 then).
   */
  private async whileAlive<T>(
    control: RetryControl,
    request: (signal: AbortSignal) => Promise<T>,
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
      result = await request(abort.signal);
    } catch (e) {
      if (failure !== undefined) throw new KeepAliveError(failure);
      if (stopped) throw new SinkStoppedError('stopped during a bulk request');
      throw e;
    } finally {
      clearInterval(tick);
    }
    // the request went through, but the partition may be someone else's now: let the group decide first
    if (failure !== undefined) throw new KeepAliveError(failure);
    return result;
  }
}

/** The caller's keep-alive failed while a request was in flight; `cause` is its error. */
class KeepAliveError extends Error {
  constructor(override readonly cause: unknown) {
    super('keep-alive failed');
  }
}

/**
 * A finding this process has not written yet is `create`d under its deterministic id (a 409 means an
 * earlier attempt or process already did). A repeat updates the same document's count and end time;
 * `doc_as_upsert` writes it whole if the create never landed.
 */
function operation({ alert, isNew }: FoldedAlert): object[] {
  const doc = toNested(alert.fields);
  return isNew
    ? [{ create: { _index: alert.index, _id: alert.id } }, doc]
    : [
        { update: { _index: alert.index, _id: alert.id, retry_on_conflict: 3 } },
        { doc, doc_as_upsert: true },
      ];
}
