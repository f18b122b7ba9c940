/**
 * Values test/global-setup.ts hands to integration tests through vitest's provide/inject.
 * Read them with the helpers in ./endpoints.ts rather than calling inject() directly.
 */
export type StackKind = 'env' | 'testcontainers' | 'local-stack' | 'local-stack-reused';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Kafka bootstrap servers, e.g. ["127.0.0.1:9092"] */
    kafkaBrokers: string[];
    /** Elasticsearch base URL without credentials, e.g. "http://127.0.0.1:9200" */
    elasticsearchUrl: string;
    /** where the endpoints came from */
    stackKind: StackKind;
    /** container project: the image built from the repository's Dockerfile, or '' when no engine answers */
    tuxwatchImage: string;
    /** container project: why there is no image (no Docker engine), '' when there is one */
    containerSkipReason: string;
  }
}
