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
 * Writes alerts with `_bulk` `create` and their deterministic ids. Returns only when every alert is either
 * in Elasticsearch (created now or before: 409) or permanently rejected (returned with the reason).
 * Transient failures are retried with backoff for as long as the caller wants; auth failures are fatal.
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
      if (attempt > 0) {
        await control.keepAlive();
        if (!control.shouldContinue()) throw new SinkStoppedError('stopped while Elasticsearch was failing');
        await sleep(backoffMs(attempt));
      }
      const retry: FoldedAlert[] = [];
      try {
        const response = await this.client.bulk({
          operations: pending.flatMap(operation),
        });
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
