// A deterministic sync-log SQL workspace file, the kind of scratch file users keep against
// hightouch_audit: selects, joins to sync_runs, CTEs, group bys, comments, and now and then a
// mistake (a misspelt column, a join on sync_id alone, an impossible op_type) so that
// diagnostics have something to find.

/** Small seeded PRNG (mulberry32): the same seed always writes the same file. */
export function seeded(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rand, list) => list[Math.floor(rand() * list.length)];

const OPS = ['added', 'changed', 'removed'];
const STATUSES = ['succeeded', 'failed', 'aborted'];
const DESTINATIONS = ['salesforce', 'braze', 'hubspot', 'iterable', 'google_ads'];

// Each template returns lines; a line holding `/*where*/` marks where a user would add a
// condition, and its alias is the changelog/snapshot alias in scope there.
const templates = [
  (r, bad) => [
    '-- failed rows of one sync',
    'select c.row_id, c.op_type, c.' + (bad ? 'failed_reason' : 'failure_reason'),
    'from hightouch_audit.sync_changelog c',
    `where c.sync_id = '${Math.floor(r() * 9000) + 1000}' /*where c*/`,
    `  and c.status = '${pick(r, STATUSES)}'`,
    'limit 100;',
  ],
  (r, bad) => [
    'select r.model_name, c.op_type, count(*) as n',
    'from hightouch_audit.sync_changelog c',
    `join hightouch_audit.sync_runs r on c.${bad ? 'sync_id' : 'sync_run_id'} = r.${bad ? 'sync_id' : 'sync_run_id'}`,
    `where r.destination = '${pick(r, DESTINATIONS)}' /*where c*/`,
    `  and c.op_type = '${bad ? 'add' : pick(r, OPS)}'`,
    'group by r.model_name, c.op_type',
    'order by n desc;',
  ],
  (r) => [
    '/* rows that entered or left an audience',
    '   (lag over runs, per row) */',
    'with details as (',
    '  select',
    '    model_name,',
    '    row_id,',
    '    op_type as type,',
    '    started_at as timestamp,',
    '    lag(op_type) over (partition by model_name, row_id order by started_at) as lag_type',
    '  from hightouch_audit.sync_changelog c',
    '  join hightouch_audit.sync_runs r on c.sync_run_id = r.sync_run_id',
    `  where op_type != '${pick(r, ['changed', 'added'])}' /*where c*/`,
    ')',
    'select row_id as user_id, model_name as audience, type, timestamp',
    'from details',
    'where (lag_type != type or lag_type is null)',
    'order by audience, user_id, timestamp;',
  ],
  (r, bad) => [
    'select',
    '  failure_reason,',
    '  count(*) as c',
    'from hightouch_audit.sync_snapshot s',
    `where s.failure_reason is not null /*where s*/`,
    `  and s.status = '${bad ? 'Failed' : 'failed'}'`,
    'group by failure_reason',
    `order by c desc limit ${Math.floor(r() * 50) + 10};`,
  ],
  (r) => [
    'select sync_run_id, started_at, finished_at,',
    '  num_planned_add, num_succeeded_add, num_failed_add,',
    '  num_planned_change, num_failed_change',
    'from hightouch_audit.sync_runs',
    `where sync_id = '${Math.floor(r() * 9000) + 1000}'`,
    "  and started_at > now() - interval '7 days'",
    'order by started_at desc;',
  ],
  (r) => [
    'with model_names as (',
    '  select distinct sync_id, model_name',
    '  from hightouch_audit.sync_runs',
    ')',
    'select model_name, row_id as user_id',
    'from hightouch_audit.sync_snapshot s',
    'join model_names m on s.sync_id = m.sync_id',
    `where s.status != 'failed' /*where s*/`,
    `  and m.model_name like '${pick(r, ['%users%', '%accounts%', 'leads%'])}';`,
  ],
];

/**
 * Lines of SQL, exactly `lineCount` of them, plus the places a user would type a condition:
 * { line, character, alias } with character at the end of that line's code.
 */
export function syncLogWorkspace(lineCount = 5000, seed = 42) {
  const rand = seeded(seed);
  const lines = [];
  const sites = [];
  while (lines.length < lineCount) {
    const bad = rand() < 0.15;
    const block = pick(rand, templates)(rand, bad);
    for (const l of block) {
      const m = /\s*\/\*where (\w)\*\/$/.exec(l);
      const code = m ? l.slice(0, m.index) : l;
      if (m) sites.push({ line: lines.length, character: code.length, alias: m[1] });
      lines.push(code);
    }
    lines.push('');
  }
  lines.length = lineCount;
  return { text: lines.join('\n'), sites: sites.filter((s) => s.line < lineCount - 1) };
}
