/**
 * The statements behind the cell outputs of this session, by the run id their output carries.
 * "Export full result" in an output names only that id: the host exports a statement it ran
 * itself, with its bound values, never SQL an output (which any notebook file can contain)
 * hands it. Bounded: an old output past the limit just asks to be run again. Pure.
 */

export interface CellRun {
  /** The notebook's URI, as text: an output asks for its own notebook's runs only. */
  notebook: string;
  /** The statement as sent, with placeholders, and the values bound to them. */
  sql: string;
  values: readonly unknown[];
  /** The connection it ran on (an export on another connection would be another result). */
  connection: string;
}

export const MAX_CELL_RUNS = 500;

export class CellRuns {
  private readonly runs = new Map<string, CellRun>();

  constructor(private readonly max = MAX_CELL_RUNS) {}

  add(runId: string, run: CellRun): void {
    this.runs.set(runId, run);
    while (this.runs.size > this.max) this.runs.delete(this.runs.keys().next().value as string);
  }

  get(runId: string): CellRun | undefined {
    return this.runs.get(runId);
  }
}
