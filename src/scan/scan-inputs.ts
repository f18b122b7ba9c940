import { fileHead } from '../ingest/files/file-records';
import { expandInputs, InputReport, type InputFile } from '../ingest/files/input-walk';
import { isWholeDocumentHead, sniffParser } from '../parse/registry';

export { expandInputs, InputReport, type InputFile };

/**
 * A file met while walking a directory is read only if its first record is evidence some parser knows:
 * a README or a manifest beside the logs is not a stream of bad records. Skips are reported, never silent.
 */
export async function looksLikeEvidence(input: InputFile): Promise<boolean> {
  const head = await fileHead(input.path);
  if (head.trim() === '') return true;
  if (isWholeDocumentHead(head) || (/^\s*\{/.test(head) && sniffParser(head) !== undefined)) return true;
  const first = head.split('\n').find((l) => l.trim() !== '') ?? '';
  return sniffParser(first) !== undefined;
}
