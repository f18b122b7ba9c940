import { describe, expect, it } from 'vitest';
import { earlyParseWorkers, parseWorkers, requestedParseWorkers } from '../../../src/scan/parse-workers';

describe('the parse workers a command line asks for, read before the CLI reads it', () => {
  it('is N - 1 for scan --threads N, in either form, the last one given', () => {
    expect(requestedParseWorkers(['scan', '--threads', '2', 'x.log'])).toBe(1);
    expect(requestedParseWorkers(['scan', 'x.log', '--threads=4'])).toBe(3);
    expect(requestedParseWorkers(['scan', '--threads', '3', '--threads', '2', '-'])).toBe(1);
    expect(requestedParseWorkers(['scan', '--threads', '1', '-'])).toBe(0);
  });

  it('is none for another command, no --threads, a value that is no thread count, or past --', () => {
    expect(requestedParseWorkers(['collect', '--threads', '2'])).toBe(0);
    expect(requestedParseWorkers(['scan', 'x.log'])).toBe(0);
    expect(requestedParseWorkers(['scan', '--threads'])).toBe(0);
    expect(requestedParseWorkers(['scan', '--threads', 'many'])).toBe(0);
    expect(requestedParseWorkers(['scan', '--threads', '100'])).toBe(0);
    expect(requestedParseWorkers(['scan', '--', '--threads', '2'])).toBe(0);
    expect(requestedParseWorkers([])).toBe(0);
  });

  it('is none with --emit events, in either form: every event printed is parsed on the main thread', () => {
    expect(requestedParseWorkers(['scan', '--emit', 'events', '--threads', '2', 'x.log'])).toBe(0);
    expect(requestedParseWorkers(['scan', '--threads=3', '--emit=events', 'x.log'])).toBe(0);
    expect(requestedParseWorkers(['scan', '--emit', 'alerts', '--threads', '2', 'x.log'])).toBe(1);
    expect(requestedParseWorkers(['scan', '--threads', '2', '--', '--emit', 'events'])).toBe(1);
  });

  it('a scan runs threads - 1 workers for alerts and none for events', () => {
    expect(parseWorkers({ threads: 2, emit: 'alerts' })).toBe(1);
    expect(parseWorkers({ threads: 4, emit: 'alerts' })).toBe(3);
    expect(parseWorkers({ emit: 'alerts' })).toBe(0);
    expect(parseWorkers({ threads: 1, emit: 'alerts' })).toBe(0);
    expect(parseWorkers({ threads: 4, emit: 'events' })).toBe(0);
  });

  it('starts early at most one worker per core beside the main thread; the stage starts the rest', () => {
    expect(earlyParseWorkers(['scan', '--threads', '99', '-'], 2)).toBe(1);
    expect(earlyParseWorkers(['scan', '--threads', '3', '-'], 8)).toBe(2);
    expect(earlyParseWorkers(['scan', '--threads', '2', '-'], 1)).toBe(0);
    expect(earlyParseWorkers(['collect'], 8)).toBe(0);
  });
});
