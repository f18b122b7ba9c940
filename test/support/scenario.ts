import { elasticsearchUrl, kafkaBrokers } from './endpoints';
import { uniqueName } from './names';

/** The names one integration scenario owns — topics, group, alert indices — shared with no other test. */
export interface Scenario {
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly groupId: string;
  readonly indexPrefix: string;
}

/** A scenario's names: `<name>`, `<name>-dead`, `<name>-group`, alert indices `tuxwatch-alerts-<name>-…-`. */
export function scenario(name: string): Scenario {
  return {
    topic: uniqueName(name),
    deadLetterTopic: uniqueName(`${name}-dead`),
    groupId: uniqueName(`${name}-group`),
    indexPrefix: `tuxwatch-alerts-${uniqueName(name)}-`,
  };
}

/**
 * The environment of a `tuxwatch serve` reading the scenario's topic from the test broker and writing to the
 * test node; `extra` adds settings or points it elsewhere (a fault proxy, a private broker).
 */
export function serviceEnv(s: Scenario, extra: Record<string, string> = {}): Record<string, string> {
  return {
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_GROUP_ID: s.groupId,
    KAFKA_TOPICS: s.topic,
    KAFKA_DEAD_LETTER_TOPIC: s.deadLetterTopic,
    ELASTICSEARCH_URL: elasticsearchUrl(),
    TUXWATCH_ALERT_INDEX_PREFIX: s.indexPrefix,
    ...extra,
  };
}
