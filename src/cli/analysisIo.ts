/** What the analysis commands write to and load with, apart from the commands (healthCommands.ts and analysisCommands.ts both use them). */
import type { QueryRunner } from '../loaders/queryRunner';
import type { HealthData } from '../shared/healthData';
import type { RunExplainedData } from '../shared/runExplainedData';

export interface AnalysisIo {
  stdout(chunk: string): Promise<void>;
  stderr(text: string): void;
  onInterrupt(handler: () => void): () => void;
  /** The built classifier worker (dist/textClassifierWorker.js next to dist/cli.js). */
  classifierWorkerPath?: string;
}

/** The health, run and check commands' loaders (other modules'), handed in so analysisCommands.ts builds without them. */
export interface HealthLoaders {
  loadHealth?: (run: QueryRunner, opts: { days: number | null; minFailures: number; now: Date }) => Promise<HealthData>;
  loadRunExplained?: (run: QueryRunner, syncRunId: string) => Promise<RunExplainedData | undefined>;
}
