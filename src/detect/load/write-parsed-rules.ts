import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ParsedRuleCache, PARSED_RULES_FILE } from './parsed-rule-cache';
import { listRuleFiles, readRuleText } from './rule-reader';

/**
 * `npm run build` runs this after tsc: the bundled rules, parsed, into PARSED_RULES_FILE, so `scan` and its
 * parse workers start without parsing their YAML (parsed-rule-cache.ts). Rules are read the way the loader
 * reads them; a file that cannot be listed or read is simply not cached.
 */
async function main(): Promise<void> {
  const bundled = resolve(__dirname, '..', '..', '..', 'detections');
  const { files } = await listRuleFiles([bundled]);
  const parsed = await Promise.all(
    files.map(async (file) => {
      const text = await readFile(file, 'utf8');
      return { text, result: readRuleText(file, text) };
    }),
  );
  await writeFile(PARSED_RULES_FILE, ParsedRuleCache.serialize(parsed));
}

main().catch((e: unknown) => {
  process.stderr.write(`write-parsed-rules: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
