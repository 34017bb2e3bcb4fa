/**
 * What the demo loader needs from a database: both PGlite and a pg Client fit.
 * Kept tiny so the same loader writes into the embedded demo and into a real Postgres.
 */
export interface SqlSink {
  query(sql: string, values?: unknown[]): Promise<unknown>;
  exec(sql: string): Promise<unknown>;
}

export interface LoadOptions {
  /** Schema to create the sync-log tables in. */
  schema: string;
  /** Multiplies model sizes (and so changelog rows); 1 is the embedded demo. */
  scale: number;
  seed?: number;
  onProgress?: (progress: LoadProgress) => void;
  /**
   * Drop the three sync-log tables first if they exist. Off by default: on a real server the
   * schema may hold real data; without it, existing tables make the load fail, untouched.
   */
  replace?: boolean;
  /** Rows per insert statement (default 25,000). */
  batchSize?: number;
}

export interface LoadProgress {
  /** `waiting`: not loading yet, another process holds the demo while it builds it. */
  phase: 'waiting' | 'schema' | 'changelog' | 'runs' | 'snapshot' | 'indexes' | 'done';
  /** Changelog rows written so far, and the expected total when known. */
  rowsWritten: number;
  rowsExpected?: number;
  message: string;
}

export interface LoadStats {
  syncs: number;
  runs: number;
  changelogRows: number;
  snapshotRows: number;
  elapsedMs: number;
}
