import type { Alert } from '../../domain/alert';
import type { SiemEvent } from '../../domain/event';
import { nestedJson } from './nested-json';

/** An alert as one NDJSON line: the ECS document Elasticsearch stores, with its id as `event.id`. */
export const alertJson = (alert: Alert): string => nestedJson(alert.fields, ['event.id', alert.id]);

/** A normalized event as one NDJSON line (`--emit events`). */
export const eventJson = (event: SiemEvent): string => nestedJson(event);
