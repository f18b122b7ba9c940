import { describe, expect, it } from 'vitest';
import { earlyParseWorkers, requestedParseWorkers } from '../../../src/scan/parse-workers';

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

  it('starts early at most one worker per core beside the main thread; the stage starts the rest', () => {
    expect(earlyParseWorkers(['scan', '--threads', '99', '-'], 2)).toBe(1);
    expect(earlyParseWorkers(['scan', '--threads', '3', '-'], 8)).toBe(2);
    expect(earlyParseWorkers(['scan', '--threads', '2', '-'], 1)).toBe(0);
    expect(earlyParseWorkers(['collect'], 8)).toBe(0);
  });
});
