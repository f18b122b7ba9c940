import type { RuleProblem } from '../../domain/rule';
import type { Position } from './yaml-tree';

/** Collects located problems for one file; each stage reports into it and decides on `hasErrors`. */
export class ProblemLog {
  readonly problems: RuleProblem[] = [];
  private errors = 0;

  constructor(readonly file: string) {}

  error(pos: Position, message: string): void {
    this.errors++;
    this.problems.push({ file: this.file, line: pos.line, col: pos.col, message, severity: 'error' });
  }

  warning(pos: Position, message: string): void {
    this.problems.push({ file: this.file, line: pos.line, col: pos.col, message, severity: 'warning' });
  }

  note(pos: Position, message: string): void {
    this.problems.push({ file: this.file, line: pos.line, col: pos.col, message, severity: 'note' });
  }

  get errorCount(): number {
    return this.errors;
  }
}

export const FILE_START: Position = { line: 1, col: 1 };
