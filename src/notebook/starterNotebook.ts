/**
 * The text of a new sync-log notebook: what the format looks like, and the first questions of an
 * investigation, each an editable query. `:sync_id` is asked once when a cell first needs it.
 */
export function starterNotebook(schema: string): string {
  const s = /^[a-z_][a-z0-9_]*$/.test(schema) ? schema : `"${schema.replace(/"/g, '""')}"`;
  return `-- %% [markdown]
-- # Sync-log notebook
--
-- Prose and SQL in one file (\`*.synclogs.sql\`) that is also a plain SQL script: markdown cells are
-- \`--\` comments and each cell starts with a \`-- %%\` line. Cells run on the notebook's kernel,
-- one per connection (the active connection's unless you pick another); \`:sync_id\` is asked
-- once for the notebook and bound as a value. A first line \`-- synclogs: chart=bar x=COL y=COL\`
-- draws a cell's result as a chart (\`line\`, \`stacked\` with \`series=COL\`; \`table\`, \`text\`).

-- %% sql
-- Every sync's latest run, newest first
select sync_id, model_name, destination, status, started_at
from ${s}.sync_runs r
where started_at = (select max(started_at) from ${s}.sync_runs x where x.sync_id = r.sync_id)
order by started_at desc;

-- %% [markdown]
-- ## Rows failing now in the sync, by failure text
-- Rows, not attempts: the snapshot holds each row's latest state.

-- %% sql
select failure_reason, count(*) as rows_failing
from ${s}.sync_snapshot
where sync_id = :sync_id and status = 'failed'
group by failure_reason
order by rows_failing desc;
`;
}
