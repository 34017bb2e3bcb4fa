import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { estimateChangelogRows, generateSyncLog } from '../../src/demo/generator';
import { DEMO_ANCHOR_ISO } from '../../src/demo/catalog';
import {
  DEFAULT_CATEGORIES,
  categorize as categorizeText,
  compileCategories,
} from '../../src/analysis/errorCategories';
import type { RunRecord, SyncLogChunk } from '../../src/demo/types';

// The generated sync log is checked from its output alone: every invariant below is
// recomputed here from the rows, not taken from the generator's own bookkeeping.

const SCALE = 0.05;

interface Op {
  syncId: string;
  runId: string;
  op: string;
  rowId: string;
  status: string;
  reason: string | null;
  fields: string;
}
interface SnapshotRow {
  syncId: string;
  op: string;
  rowId: string;
  status: string;
  reason: string | null;
  fields: string;
}
interface Collected {
  ops: Op[];
  runs: RunRecord[];
  snapshot: SnapshotRow[];
  chunks: Array<{ kind: SyncLogChunk['kind']; count: number; rowsExpected?: number }>;
  totals: { syncs: number; runs: number; changelogRows: number; snapshotRows: number };
  hash: string;
}

function collect(scale: number, seed?: number, batchSize?: number): Collected {
  const out: Collected = {
    ops: [],
    runs: [],
    snapshot: [],
    chunks: [],
    totals: { syncs: 0, runs: 0, changelogRows: 0, snapshotRows: 0 },
    hash: '',
  };
  // One hash per table: the interleaving of tables in the stream depends on the batch size.
  const hashes = { changelog: createHash('sha256'), runs: createHash('sha256'), snapshot: createHash('sha256') };
  const it = generateSyncLog({ scale, seed, batchSize });
  for (let r = it.next(); ; r = it.next()) {
    if (r.done) {
      out.totals = r.value;
      break;
    }
    const c = r.value;
    if (c.kind === 'changelog') {
      out.chunks.push({ kind: c.kind, count: c.count, rowsExpected: c.rowsExpected });
      for (let i = 0; i < c.count; i++) {
        const op = {
          syncId: c.rows.syncId[i],
          runId: c.rows.syncRunId[i],
          op: c.rows.opType[i],
          rowId: c.rows.rowId[i],
          status: c.rows.status[i],
          reason: c.rows.failureReason[i],
          fields: c.rows.fields[i],
        };
        out.ops.push(op);
        hashes.changelog.update(JSON.stringify(op));
      }
    } else if (c.kind === 'snapshot') {
      out.chunks.push({ kind: c.kind, count: c.count });
      for (let i = 0; i < c.count; i++) {
        const row = {
          syncId: c.rows.syncId[i],
          op: c.rows.opType[i],
          rowId: c.rows.rowId[i],
          status: c.rows.status[i],
          reason: c.rows.failureReason[i],
          fields: c.rows.fields[i],
        };
        out.snapshot.push(row);
        hashes.snapshot.update(JSON.stringify(row));
      }
    } else if (c.kind === 'run') {
      out.chunks.push({ kind: c.kind, count: 1 });
      out.runs.push(c.run);
      hashes.runs.update(JSON.stringify(c.run));
    } else {
      out.chunks.push({ kind: c.kind, count: 0 });
    }
  }
  out.hash = [hashes.changelog, hashes.runs, hashes.snapshot].map((h) => h.digest('hex')).join(':');
  return out;
}

const data = collect(SCALE);
const runById = new Map(data.runs.map((r) => [r.syncRunId, r]));
const time = (iso: string): number => Date.parse(iso);

/** Ops of each (sync, row) in run order (runs of a sync never overlap, so start time orders them). */
const history = new Map<string, Op[]>();
for (const op of data.ops) {
  const key = `${op.syncId}\u0000${op.rowId}`;
  const list = history.get(key) ?? [];
  list.push(op);
  history.set(key, list);
}
for (const list of history.values())
  list.sort((a, b) => time(runById.get(a.runId)!.startedAt) - time(runById.get(b.runId)!.startedAt));

const runsBySync = new Map<string, RunRecord[]>();
for (const r of data.runs) runsBySync.set(r.syncId, [...(runsBySync.get(r.syncId) ?? []), r]);
for (const list of runsBySync.values()) list.sort((a, b) => time(a.startedAt) - time(b.startedAt));

// The categories the extension ships: the demo's texts must read as the app files them.
const DEFAULTS = compileCategories(DEFAULT_CATEGORIES).compiled;
const categorize = (text: string): string => categorizeText(text, DEFAULTS);

test('the workspace: syncs, destinations, models, and a month of runs before the anchor', () => {
  const syncs = new Set(data.runs.map((r) => r.syncId));
  assert.ok(syncs.size >= 8, `${syncs.size} syncs`);
  assert.equal(data.totals.syncs, syncs.size);
  assert.ok(new Set(data.runs.map((r) => r.destination)).size >= 6, 'at least six destinations');
  const anchor = time(DEMO_ANCHOR_ISO);
  for (const [syncId, runs] of runsBySync) {
    assert.match(syncId, /^\d+$/);
    const first = runs[0];
    assert.equal(
      new Set(runs.map((r) => `${r.modelName}|${r.primaryKey}|${r.destination}`)).size,
      1,
      'one model per sync',
    );
    assert.ok(first.modelName.length > 3 && first.primaryKey.length > 1);
    const days = (time(runs[runs.length - 1].finishedAt) - time(first.startedAt)) / 86_400_000;
    assert.ok(days >= 30, `sync ${syncId} spans ${days.toFixed(1)} days`);
    for (let i = 1; i < runs.length; i++)
      assert.ok(time(runs[i].startedAt) > time(runs[i - 1].finishedAt), 'runs of a sync do not overlap');
  }
  const durations = data.runs.map((r) => (time(r.finishedAt) - time(r.startedAt)) / 1000).sort((a, b) => a - b);
  assert.ok(durations[0] >= 1, 'finished_at after started_at');
  assert.ok(durations[durations.length - 1] < 3 * 3600, 'no run lasts hours');
  assert.ok(durations[Math.floor(durations.length / 2)] < 600, 'most runs take seconds to minutes');
  assert.ok(
    data.runs.every((r) => time(r.finishedAt) <= anchor),
    'everything ends before the fixed anchor',
  );
  assert.equal(new Set(data.runs.map((r) => r.syncRunId)).size, data.runs.length, 'run ids are unique');
  assert.ok(data.runs.every((r) => /^\d+$/.test(r.syncRunId)));
});

test('run counters equal the changelog counts of the run, and planned >= attempted = succeeded + failed', () => {
  const counted = new Map<string, Record<string, number>>();
  for (const op of data.ops) {
    const run = runById.get(op.runId);
    assert.ok(run, `changelog row of unknown run ${op.runId}`);
    assert.equal(run.syncId, op.syncId);
    const c = counted.get(op.runId) ?? {};
    const kind = { added: 'Add', changed: 'Change', removed: 'Remove' }[op.op];
    assert.ok(kind, `op_type ${op.op}`);
    c[`planned${kind}`] = (c[`planned${kind}`] ?? 0) + 1;
    if (op.status !== 'aborted') c[`attempted${kind}`] = (c[`attempted${kind}`] ?? 0) + 1;
    if (op.status === 'succeeded') c[`succeeded${kind}`] = (c[`succeeded${kind}`] ?? 0) + 1;
    if (op.status === 'failed') c[`failed${kind}`] = (c[`failed${kind}`] ?? 0) + 1;
    counted.set(op.runId, c);
  }
  for (const run of data.runs) {
    const c = counted.get(run.syncRunId) ?? {};
    for (const kind of ['Add', 'Change', 'Remove'] as const) {
      const get = (k: string): number => (run as unknown as Record<string, number>)[`${k}${kind}`];
      for (const k of ['planned', 'attempted', 'succeeded', 'failed'])
        assert.equal(get(k), c[`${k}${kind}`] ?? 0, `${k}${kind} of run ${run.syncRunId}`);
      assert.ok(get('planned') >= get('attempted'));
      assert.equal(get('attempted'), get('succeeded') + get('failed'));
    }
    assert.equal(run.status === 'failed', run.error !== null, `status and error of run ${run.syncRunId}`);
  }
});

test('row statuses: failure_reason is set exactly on failed rows; one op per row per run', () => {
  const seen = new Set<string>();
  for (const op of data.ops) {
    assert.ok(['succeeded', 'failed', 'aborted'].includes(op.status));
    assert.equal(op.reason !== null, op.status === 'failed');
    const key = `${op.runId}\u0000${op.rowId}`;
    assert.ok(!seen.has(key), `row ${op.rowId} twice in run ${op.runId}`);
    seen.add(key);
  }
  for (const row of data.snapshot) assert.equal(row.reason !== null, row.status === 'failed');
});

test('failed runs: planning failures write nothing, midway failures and cancellations abort the rest', () => {
  const failed = data.runs.filter((r) => r.status === 'failed');
  const planned = (r: RunRecord): number => r.plannedAdd + r.plannedChange + r.plannedRemove;
  const attempted = (r: RunRecord): number => r.attemptedAdd + r.attemptedChange + r.attemptedRemove;
  const atPlanning = failed.filter((r) => planned(r) === 0);
  assert.ok(atPlanning.length >= 5, 'some runs fail before planning');
  assert.ok(
    atPlanning.some((r) => /INVALID_SESSION_ID|invalid_grant|EXPIRED_AUTHENTICATION/.test(r.error!)),
    'expired credentials',
  );
  assert.ok(
    atPlanning.some((r) => /QUERY_COLUMN_MISSING/.test(r.error!)),
    'schema drift',
  );
  const midway = failed.filter((r) => planned(r) > attempted(r));
  assert.ok(midway.length >= 3, 'some runs stop midway');
  assert.ok(
    failed.some((r) => /cancel/i.test(r.error!)),
    'a user cancelled a run',
  );
  const aborted = new Set(data.ops.filter((o) => o.status === 'aborted').map((o) => o.runId));
  for (const id of aborted) assert.equal(runById.get(id)!.status, 'failed', 'aborted rows only in failed runs');
  assert.ok(data.runs.every((r) => r.status === 'failed' || planned(r) === attempted(r)));
});

test('planner semantics: adds only for rows not delivered, removes and changes only for delivered ones', () => {
  for (const ops of history.values()) {
    let delivered = false;
    let lastDelivered: Record<string, unknown> | null = null;
    for (const op of ops) {
      const fields = JSON.parse(op.fields) as Record<string, unknown>;
      const run = runById.get(op.runId)!;
      assert.equal(fields[run.primaryKey], op.rowId, 'fields hold the primary key');
      assert.equal(typeof fields.updated_at, 'string');
      if (op.op === 'added') assert.ok(!delivered, `add of delivered row ${op.rowId}`);
      else assert.ok(delivered, `${op.op} of undelivered row ${op.rowId}`);
      if (op.op === 'changed') assert.notDeepEqual(fields, lastDelivered, 'a change changes something');
      if (op.op === 'removed') assert.deepEqual(fields, lastDelivered, 'a remove carries the delivered values');
      if (op.status === 'succeeded') {
        delivered = op.op !== 'removed';
        lastDelivered = delivered ? fields : null;
      }
    }
  }
});

test('failed and aborted operations are planned again in the next run that plans', () => {
  // The next run of the sync that got past planning (a run that planned nothing and failed did not).
  const nextPlanned = new Map<string, string>();
  for (const runs of runsBySync.values()) {
    let next: string | undefined;
    for (let i = runs.length - 1; i >= 0; i--) {
      if (next) nextPlanned.set(runs[i].syncRunId, next);
      const r = runs[i];
      if (!(r.status === 'failed' && r.plannedAdd + r.plannedChange + r.plannedRemove === 0)) next = r.syncRunId;
    }
  }
  let adds = 0;
  let addsRetried = 0;
  let others = 0;
  for (const ops of history.values()) {
    ops.forEach((op, i) => {
      if (op.status === 'succeeded') return;
      const next = nextPlanned.get(op.runId);
      if (!next) return;
      const retried = ops[i + 1]?.runId === next;
      if (op.op === 'added') {
        adds++;
        if (retried) addsRetried++;
      } else {
        // The row is still in the destination: whatever the model did, the next plan touches it.
        others++;
        assert.ok(retried, `${op.op} of ${op.rowId} (run ${op.runId}) not retried in run ${next}`);
      }
    });
  }
  assert.ok(others > 10 && adds > 100);
  // A row whose add failed may have left the model meanwhile; most are retried.
  assert.ok(addsRetried / adds > 0.75, `failed adds retried: ${addsRetried}/${adds}`);
});

test('a change rewrites one or a few fields, not the whole row', () => {
  const counts: number[] = [];
  for (const ops of history.values()) {
    for (let i = 1; i < ops.length; i++) {
      if (ops[i].op !== 'changed' || ops[i - 1].status !== 'succeeded' || ops[i - 1].op === 'removed') continue;
      const a = JSON.parse(ops[i - 1].fields) as Record<string, unknown>;
      const b = JSON.parse(ops[i].fields) as Record<string, unknown>;
      assert.deepEqual(Object.keys(a), Object.keys(b), 'same columns');
      counts.push(
        Object.keys(b).filter((k) => k !== 'updated_at' && JSON.stringify(a[k]) !== JSON.stringify(b[k])).length,
      );
    }
  }
  counts.sort((x, y) => x - y);
  assert.ok(counts.length > 100);
  assert.ok(counts[Math.floor(counts.length / 2)] <= 3, 'the median change touches at most three fields');
});

test('snapshot: the rows in the model with their latest operation (removed rows absent)', () => {
  const snapshotKeys = new Set<string>();
  for (const row of data.snapshot) {
    const key = `${row.syncId}\u0000${row.rowId}`;
    assert.ok(!snapshotKeys.has(key), 'one snapshot row per model row');
    snapshotKeys.add(key);
    const ops = history.get(key);
    assert.ok(ops, `snapshot row ${row.rowId} has no changelog history`);
    const latest = ops[ops.length - 1];
    assert.notEqual(latest.op, 'removed');
    assert.equal(row.status, latest.status);
    assert.equal(row.reason, latest.reason);
    assert.equal(row.fields, latest.fields);
    const runs = runsBySync.get(row.syncId)!;
    const inLastRun = latest.runId === runs[runs.length - 1].syncRunId;
    assert.equal(row.op, inLastRun ? latest.op : 'unchanged');
  }
  // Rows touched by a sync's last run (added or changed) are in the model, so in the snapshot.
  for (const [key, ops] of history) {
    const latest = ops[ops.length - 1];
    const runs = runsBySync.get(latest.syncId)!;
    if (latest.runId === runs[runs.length - 1].syncRunId && latest.op !== 'removed') assert.ok(snapshotKeys.has(key));
    if (latest.op === 'removed') assert.ok(!snapshotKeys.has(key));
  }
  assert.ok(data.snapshot.some((r) => r.op === 'unchanged') && data.snapshot.some((r) => r.status === 'failed'));
});

test('flapping rows: every sync has rows operated on in most of its runs', () => {
  const busiest = new Map<string, number>();
  for (const ops of history.values()) busiest.set(ops[0].syncId, Math.max(busiest.get(ops[0].syncId) ?? 0, ops.length));
  for (const [syncId, runs] of runsBySync) {
    const plannedRuns = runs.filter((r) => r.plannedAdd + r.plannedChange + r.plannedRemove > 0).length;
    assert.ok(
      (busiest.get(syncId) ?? 0) >= Math.max(10, plannedRuns * 0.5),
      `sync ${syncId}: busiest row has ${busiest.get(syncId)} ops over ${plannedRuns} runs`,
    );
  }
  const enterExit = [...history.values()].some(
    (ops) => ops.filter((o) => o.op === 'removed').length >= 5 && ops.filter((o) => o.op === 'added').length >= 5,
  );
  assert.ok(enterExit, 'some row keeps entering and leaving its model');
});

test('failure texts: categories differ per sync, a few are unexpected, one starts mid-month', () => {
  const failed = data.ops.filter((o) => o.status === 'failed');
  const byCategory = new Map<string, number>();
  for (const o of failed) byCategory.set(categorize(o.reason!), (byCategory.get(categorize(o.reason!)) ?? 0) + 1);
  assert.ok(byCategory.size >= 10, `${byCategory.size} categories`);
  const unexpected = new Set(failed.filter((o) => categorize(o.reason!) === 'unexpected').map((o) => o.reason));
  assert.ok(unexpected.size >= 2, 'some failures match no default category');
  assert.ok((byCategory.get('unexpected') ?? 0) < failed.length * 0.15, 'but unexpected failures are a minority');

  const topBySync = new Map<string, string>();
  for (const syncId of runsBySync.keys()) {
    const counts = new Map<string, number>();
    for (const o of failed)
      if (o.syncId === syncId) counts.set(categorize(o.reason!), (counts.get(categorize(o.reason!)) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1])[0];
    if (top) topBySync.set(syncId, top[0]);
  }
  assert.ok(new Set(topBySync.values()).size >= 4, `top categories per sync: ${[...topBySync.values()].join(', ')}`);

  // A category absent for the first 10 days of a sync that then fails repeatedly.
  const firstSeen = new Map<string, { at: number; n: number }>();
  for (const o of failed) {
    const key = `${o.syncId}|${categorize(o.reason!)}`;
    const at = time(runById.get(o.runId)!.startedAt);
    const seen = firstSeen.get(key) ?? { at, n: 0 };
    firstSeen.set(key, { at: Math.min(seen.at, at), n: seen.n + 1 });
  }
  const late = [...firstSeen].filter(
    ([key, v]) => v.n >= 5 && v.at - time(runsBySync.get(key.split('|')[0])![0].startedAt) > 10 * 86_400_000,
  );
  assert.ok(late.length >= 1, 'an error category appears only mid-month');
});

test('hostile third-party text is kept verbatim', () => {
  const texts = [...data.ops.map((o) => o.reason ?? ''), ...data.runs.map((r) => r.error ?? '')];
  assert.ok(
    texts.some((t) => t.includes('<img src=x onerror=alert(1)>')),
    'markup in a failure reason',
  );
  assert.ok(
    texts.some((t) => /<html>[\s\S]*502 Bad Gateway[\s\S]*<\/html>/.test(t)),
    'a proxy error page',
  );
  assert.ok(
    texts.some((t) => /\b[\w.+-]+@[\w-]+\.[\w.]+\b/.test(t)),
    'e-mails embedded in texts',
  );
});

test('deterministic: same seed and scale give the same bytes, whatever the batch size; another seed differs', () => {
  assert.equal(collect(SCALE, undefined, 777).hash, data.hash);
  assert.notEqual(collect(SCALE, 7).hash, data.hash);
});

test('streams: batches are bounded and interleaved with runs; progress estimates are sane', () => {
  const batchSize = 1000;
  const small = collect(SCALE, undefined, batchSize);
  const changelog = small.chunks.filter((c) => c.kind === 'changelog');
  assert.ok(changelog.length >= data.ops.length / batchSize);
  assert.ok(small.chunks.every((c) => c.count <= batchSize));
  const firstBatch = small.chunks.findIndex((c) => c.kind === 'changelog');
  assert.ok(
    small.chunks.slice(firstBatch).some((c) => c.kind === 'run'),
    'rows are yielded before the history is complete',
  );
  assert.equal(small.totals.changelogRows, data.ops.length);
  assert.equal(small.totals.snapshotRows, data.snapshot.length);
  assert.equal(small.totals.runs, data.runs.length);
  assert.equal(changelog[changelog.length - 1].rowsExpected, data.ops.length, 'the last estimate is exact');
  const estimate = estimateChangelogRows(SCALE);
  assert.ok(
    estimate > data.ops.length / 2 && estimate < data.ops.length * 2,
    `estimate ${estimate} vs ${data.ops.length}`,
  );
});

test('scale multiplies model sizes, and so the changelog', () => {
  const bigger = collect(SCALE * 3);
  const models = bigger.snapshot.length / data.snapshot.length;
  assert.ok(models > 2.6 && models < 3.4, `x3 scale gives x${models.toFixed(2)} model rows`);
  // Flapping rows and run count do not scale, so the changelog grows a little less.
  const ops = bigger.ops.length / data.ops.length;
  assert.ok(ops > 1.5 && ops < 3.4, `x3 scale gives x${ops.toFixed(2)} changelog rows`);
  assert.equal(bigger.runs.length, data.runs.length);
  assert.throws(() => generateSyncLog({ scale: 0 }).next(), /scale/);
  assert.throws(() => generateSyncLog({ scale: Number.NaN }).next(), /scale/);
});
