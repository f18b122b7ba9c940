import { readFile, rm, writeFile } from 'node:fs/promises';
import {
  BUNDLED_EXPECTED_LISTENERS,
  PARSED_EXPECTED_LISTENERS,
  serializeParsedTable,
} from './listener-reference';

/**
 * `npm run build` runs this after tsc: the shipped expected-listeners table, parsed, into
 * PARSED_EXPECTED_LISTENERS, so a scan starts without parsing its YAML (listener-reference.ts). A table JSON
 * cannot carry exactly is left to be parsed at each start.
 */
async function main(): Promise<void> {
  const json = serializeParsedTable(await readFile(BUNDLED_EXPECTED_LISTENERS, 'utf8'));
  if (json === undefined) await rm(PARSED_EXPECTED_LISTENERS, { force: true });
  else await writeFile(PARSED_EXPECTED_LISTENERS, json);
}

main().catch((e: unknown) => {
  process.stderr.write(`write-parsed-listeners: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
