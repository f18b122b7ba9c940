import type { Alert } from '../../domain/alert';
import { toNested, type SiemEvent } from '../../domain/event';

/** An alert as one NDJSON line: the ECS document Elasticsearch stores, with its id as `event.id`. */
export const alertJson = (alert: Alert): string =>
  JSON.stringify(toNested({ ...alert.fields, 'event.id': alert.id }));

/** A normalized event as one NDJSON line (`--emit events`). */
export const eventJson = (event: SiemEvent): string => JSON.stringify(toNested(event));
