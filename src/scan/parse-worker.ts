import { parentPort, workerData } from 'node:worker_threads';
import { BatchParser, type WorkerSetup, type WorkRequest } from './batch-parser';

/** A parse worker of `scan`: batches in, their parse (batch-parser.ts) out, in the order they came. */
async function main(): Promise<void> {
  const parser = await BatchParser.create(workerData as WorkerSetup);
  parentPort!.on('message', (request: WorkRequest) => parentPort!.postMessage(parser.parse(request)));
  parentPort!.postMessage({ ready: true });
}

void main();
