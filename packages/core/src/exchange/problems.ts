import { EXCHANGE_FORMAT, type ImportProblem, type IncidentImportReport } from "@vigie/contracts";

/** Problems listed at most in a report (`truncated` tells there were more). */
export const DEFAULT_PROBLEM_LIMIT = 50;

/** Collects the problems of an import; a report lists the first ones by line, up to a limit. */
export class ProblemList {
  private readonly all: ImportProblem[] = [];
  constructor(readonly limit: number = DEFAULT_PROBLEM_LIMIT) {}
  add(problem: ImportProblem): void {
    this.all.push(problem);
  }
  get count(): number {
    return this.all.length;
  }
  /** The first problems by line (a line's problems in the order found), up to the limit. */
  get items(): ImportProblem[] {
    return [...this.all].sort((a, b) => a.line - b.line).slice(0, this.limit);
  }
  get truncated(): boolean {
    return this.all.length > this.limit;
  }
}

/** The report of an import that wrote nothing because of these problems. */
export function rejectedReport(records: number, problems: ProblemList): IncidentImportReport {
  return {
    format: EXCHANGE_FORMAT,
    records,
    created: 0,
    updated: 0,
    unchanged: 0,
    problems: problems.items,
    truncated: problems.truncated,
  };
}
