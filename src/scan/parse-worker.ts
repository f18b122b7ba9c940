import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { BatchParser, type WorkerSetup, type WorkRequest } from './batch-parser';
import { workResult } from './work-result';

/**
 * A parse worker of `scan`: requests in, what they hold that matters (batch-parser.ts) out, in the order
 * they came, on the port the pool gave it. Requests sent before its rules are loaded wait in the port.
 */
async function main(): Promise<void> {
  const { setup, port } = workerData as { setup: WorkerSetup; port: MessagePort };
  const parser = await BatchParser.create(setup);
  port.on('message', (request: WorkRequest) =>
    port.postMessage(workResult(request, parser.parse(request), !parser.judges)),
  );
  // started: the pool waits for this before it ends the worker (and the build writes its code cache then)
  parentPort!.postMessage({ ready: true });
}

void main();
