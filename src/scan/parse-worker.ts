import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { BatchParser, type WorkerSetup, type WorkRequest } from './batch-parser';
import type { SetupMessage } from './parse-workers';
import { workResult } from './work-result';

/**
 * A parse worker of `scan`: requests in, what they hold that matters (batch-parser.ts) out, in the order
 * they came, on the port the pool gave it. It may be started before the run knows its setup (parse-workers.ts):
 * its code loads at once, its rules when the setup comes, first thing on its parent port. Requests sent before
 * its rules are loaded wait in the port.
 */
async function main(): Promise<void> {
  const { port } = workerData as { port: MessagePort };
  const setup = await new Promise<WorkerSetup>((resolve) =>
    parentPort!.once('message', (m: SetupMessage<WorkerSetup>) => resolve(m.setup)),
  );
  const parser = await BatchParser.create(setup);
  port.on('message', (request: WorkRequest) => port.postMessage(workResult(request, parser.parse(request))));
  // started: the pool waits for this before it ends the worker (and the build writes its code cache then)
  parentPort!.postMessage({ ready: true });
}

void main();
