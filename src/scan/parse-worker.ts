import { parentPort, workerData } from 'node:worker_threads';
import { BatchParser, type WorkerSetup, type WorkRequest } from './batch-parser';
import { workResult } from './work-result';

/** A parse worker of `scan`: requests in, what they hold that matters (batch-parser.ts) out, in order. */
async function main(): Promise<void> {
  const parser = await BatchParser.create(workerData as WorkerSetup);
  parentPort!.on('message', (request: WorkRequest) =>
    parentPort!.postMessage(workResult(request, parser.parse(request), !parser.judges)),
  );
  parentPort!.postMessage({ ready: true });
}

void main();
