/**
 * The time axis the charts share: one bucket per run while runs are few, else per UTC hour, else
 * per UTC day. Pure: the same runs always give the same buckets, so the chart and the sparklines
 * line up.
 */
import type { ChartBucket, RunPoint } from '../shared/analysisData';

export type BucketUnit = 'run' | 'hour' | 'day';

export interface RunBuckets {
  unit: BucketUnit;
  /** Oldest first. */
  buckets: ChartBucket[];
  /** The bucket a run falls in, or -1 (a run not given, or one without a start time). */
  indexOf(syncRunId: string): number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

interface TimedRun {
  run: RunPoint;
  ms: number;
}

const isFailed = (run: RunPoint): boolean => (run.status ?? '').toLowerCase() === 'failed';

/**
 * Runs without a usable `started_at` are skipped (indexOf gives -1): a run that never started has
 * no place on a time axis, and putting it "last" would show it as the newest run, which it
 * usually is not. Their operations still count in the panels' totals, just not in the chart.
 */
export function bucketRuns(runs: readonly RunPoint[], maxBuckets: number): RunBuckets {
  const limit = Math.max(1, Math.floor(maxBuckets));
  const timed: TimedRun[] = [];
  const seen = new Set<string>();
  for (const run of runs) {
    if (seen.has(run.syncRunId)) continue; // The same run twice (a join upstream) must not count twice.
    seen.add(run.syncRunId);
    const ms = run.startedAt === null ? NaN : Date.parse(run.startedAt);
    if (Number.isFinite(ms)) timed.push({ run, ms });
  }
  timed.sort(
    (a, b) => a.ms - b.ms || (a.run.syncRunId < b.run.syncRunId ? -1 : a.run.syncRunId > b.run.syncRunId ? 1 : 0),
  );

  const index = new Map<string, number>();
  const indexOf = (syncRunId: string): number => index.get(syncRunId) ?? -1;

  if (timed.length <= limit) {
    const buckets = timed.map(({ run }, i): ChartBucket => {
      index.set(run.syncRunId, i);
      return { start: run.startedAt as string, runs: 1, failedRuns: isFailed(run) ? 1 : 0, syncRunId: run.syncRunId };
    });
    return { unit: 'run', buckets, indexOf };
  }

  const first = timed[0].ms;
  const last = timed[timed.length - 1].ms;
  const hourSpan = Math.floor(last / HOUR_MS) - Math.floor(first / HOUR_MS) + 1;
  // Per day has no cap: merging days into multi-day buckets would give uneven, hard-to-read
  // boundaries, and the day count is bounded by the window (or the age of the log), so a long
  // history scrolls rather than hiding which day a failure happened on.
  const size = hourSpan <= limit ? HOUR_MS : DAY_MS;
  const unit: BucketUnit = size === HOUR_MS ? 'hour' : 'day';
  const origin = Math.floor(first / size) * size;
  const count = Math.floor(last / size) - Math.floor(first / size) + 1;
  // Empty hours/days stay as buckets: gaps in the schedule are part of the picture.
  const buckets: ChartBucket[] = Array.from({ length: count }, (_, i) => ({
    start: new Date(origin + i * size).toISOString(),
    runs: 0,
    failedRuns: 0,
  }));
  for (const { run, ms } of timed) {
    const i = Math.floor(ms / size) - Math.floor(first / size);
    index.set(run.syncRunId, i);
    buckets[i].runs += 1;
    if (isFailed(run)) buckets[i].failedRuns += 1;
  }
  return { unit, buckets, indexOf };
}
