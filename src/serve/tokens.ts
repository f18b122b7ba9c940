/** Injection tokens: every outside library sits behind one, so services never construct them. */
export const CONFIG = Symbol('ServiceConfig');
export const LOGGER = Symbol('Logger');
export const KAFKA = Symbol('Kafka');
export const ELASTICSEARCH = Symbol('ElasticsearchClient');
export const DETECTOR = Symbol('Detector');
export const FATAL_HANDLER = Symbol('FatalHandler');
export const CHANGED_HOSTS = Symbol('ChangedHosts');
