import type { RawRecord } from '../domain/raw-record';
import { collect, type CollectOptions } from './collector';

/**
 * A sweep of this host as records for the scan pipeline (`tuxwatch scan --live`): each collect record is
 * handed over as the text the collector would have written, bound to the `snapshot` kind, so the live
 * path is the file path without the file. Check summaries go to `onCheck` as they finish.
 */
export async function* liveRecords(
  options: CollectOptions,
  onCheck: (summary: string) => void = () => undefined,
): AsyncGenerator<{ record: RawRecord; observedAt: Date }> {
  let line = 0;
  for await (const r of collect(options)) {
    line++;
    if (r.fact === 'check')
      onCheck(
        `${r.check}: ${r.data.status}, ${r.data.facts} facts in ${(r.data.duration_ms / 1000).toFixed(1)} s`,
      );
    yield {
      record: {
        text: JSON.stringify(r),
        origin: { type: 'file', path: `live:${r.host}`, line },
        host: r.host,
        kind: 'snapshot',
      },
      observedAt: new Date(r.at),
    };
  }
}
