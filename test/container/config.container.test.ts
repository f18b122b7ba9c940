import { expect, it } from 'vitest';
import { describeImage, runToExit } from './support';

describeImage('the image: a bad configuration', () => {
  it('ELASTICSEARCH_URL=not-a-url exits 1 naming the variable, and prints no secret', async () => {
    const secrets = {
      ELASTICSEARCH_PASSWORD: 'es-secret-4f1c9b',
      KAFKA_SASL_PASSWORD: 'kafka-secret-8d2e7a',
    };
    const { code, output } = await runToExit(['serve'], (c) =>
      c.withEnvironment({
        KAFKA_BROKERS: '127.0.0.1:9092',
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'tuxwatch',
        ELASTICSEARCH_URL: 'not-a-url',
        ELASTICSEARCH_USERNAME: 'tuxwatch',
        ...secrets,
      }),
    );
    expect(code, output).toBe(1);
    expect(output).toMatch(/ELASTICSEARCH_URL/);
    expect(output).not.toContain('not-a-url');
    for (const secret of Object.values(secrets)) expect(output).not.toContain(secret);
  });

  it('a missing KAFKA_BROKERS exits 1 naming it', async () => {
    const { code, output } = await runToExit(['serve'], (c) =>
      c.withEnvironment({ ELASTICSEARCH_URL: 'http://127.0.0.1:9200' }),
    );
    expect(code, output).toBe(1);
    expect(output).toMatch(/KAFKA_BROKERS/);
  });
});
