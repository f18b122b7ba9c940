import type { Client } from '@elastic/elasticsearch';
import type { Alert } from '../../domain/alert';
import type { FoldedAlert } from '../alert-folder';
import { toNested } from '../../domain/event';
import { FIRST_OCCURRENCE } from '../finding-merge';
import type { Logger } from '../../observability/logger';
import {
  backoffMs,
  FatalSinkError,
  KeepAliveError,
  pauseAlive,
  SinkStoppedError,
  whileAlive,
  type RetryControl,
} from '../../retry/retry-control';
import { isFatalStatus, itemVerdict } from './bulk-outcome';

// re-exported: the consumer and the batch processor know them as this sink's
export { FatalSinkError, SinkStoppedError, type RetryControl };

export interface RejectedAlert {
  readonly alert: Alert;
  readonly reason: string;
}

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
      if (attempt > 0) await pauseAlive(backoffMs(attempt), control, 'Elasticsearch was failing');
      const retry: FoldedAlert[] = [];
      try {
        const response = await whileAlive(
          control,
          (signal) => this.client.bulk({ operations: pending.flatMap(operation) }, { signal }),
          'a bulk request',
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
}

/**
 * A finding this process has not written yet is `create`d under its deterministic id (a 409 means an
 * earlier attempt or process already did). A repeat updates the same document's count and end time (and
 * its first occurrence, when an earlier or exact one took its place); `upsert` writes it whole if the
 * create never landed. A resumed entity finding (taken up again after this process forgot it or restarted)
 * updates the document without its first occurrence, which this process does not have: only if the
 * document is missing is the whole alert written.
 */
function operation({ alert, isNew, resumed }: FoldedAlert): object[] {
  const doc = toNested(alert.fields);
  if (isNew) return [{ create: { _index: alert.index, _id: alert.id } }, doc];
  const target = { update: { _index: alert.index, _id: alert.id, retry_on_conflict: 3 } };
  if (!resumed) return [target, { doc: toNested({ ...alert.fields, ...cleared(alert) }), upsert: doc }];
  const later = Object.fromEntries(
    Object.entries(alert.fields).filter(([name]) => !FIRST_OCCURRENCE.has(name)),
  );
  return [target, { doc: toNested(later), upsert: doc }];
}

/**
 * The first-occurrence fields (finding-merge.ts FIRST_OCCURRENCE) the alert lacks, as nulls: an update
 * merges into the document, so a field of the first occurrence it replaced (auth.log's `event.timezone`,
 * when the exact copy of its record took its place: alert-folder.ts) would otherwise stay beside the new
 * one's time. A document written anew (the create never landed) is written without them.
 */
function cleared(alert: FoldedAlert['alert']): Record<string, null> {
  const nulls: Record<string, null> = {};
  for (const name of FIRST_OCCURRENCE) if (alert.fields[name] === undefined) nulls[name] = null;
  return nulls;
}
