import type { RuleProblem } from '../../domain/rule';
import { confusableHint } from './confusables';
import type { Position } from './yaml-tree';

/**
 * Collects located problems for one file; each stage reports into it and decides on `hasErrors`. A message
 * that names a word drawn like ASCII but not ASCII (`sеl` with a Cyrillic `е`) says so: the terminal shows
 * the two the same, and the author would look for the mistake anywhere else.
 */
export class ProblemLog {
  readonly problems: RuleProblem[] = [];
  private errors = 0;

  constructor(readonly file: string) {}

  error(pos: Position, message: string): void {
    this.errors++;
    this.push(pos, message, 'error');
  }

  warning(pos: Position, message: string): void {
    this.push(pos, message, 'warning');
  }

  note(pos: Position, message: string): void {
    this.push(pos, message, 'note');
  }

  private push(pos: Position, message: string, severity: RuleProblem['severity']): void {
    const text = message + confusableHint(message);
    this.problems.push({ file: this.file, line: pos.line, col: pos.col, message: text, severity });
  }

  get errorCount(): number {
    return this.errors;
  }
}

export const FILE_START: Position = { line: 1, col: 1 };
