import { PANEL_TITLES, type PanelKind } from '../shared/analysisProtocol';
import { InlineSqlError, inlineSql } from '../sql/inlineSql';
import { commentLine } from '../sql/sqlComment';
import type { RecordedQuery } from './panelLoad';

export interface PanelSqlInput {
  kind: PanelKind;
  /** The scope as the tab title shows it (warehouse text: it goes into comments only). */
  scope: string;
  connectionName: string;
  connectionKind: string;
  queries: readonly RecordedQuery[];
}

/** Words that say what a query reads, from the sync-log tables it names. */
function tablesRead(text: string): string {
  const names = ['sync_changelog', 'sync_snapshot', 'sync_runs', 'audience_holdout'].filter((t) =>
    text.toLowerCase().includes(t),
  );
  return names.length === 0 ? '' : ` Reads ${names.join(', ')}.`;
}

/**
 * The text Show SQL opens: a header naming the panel, its scope, the connection and dialect, then
 * each query the panel ran with its values inlined as literals, each under a comment saying which
 * part of the panel it computes. Only ids, names and SQL appear: the connection's settings and
 * secrets never reach a recorded query or this header. Warehouse and user text (scope, category
 * names) is only ever inside `-- ` comments, made unable to end them.
 */
export function panelSqlText(input: PanelSqlInput): string {
  const dialects = [...new Set(input.queries.map((q) => q.dialect.name))];
  const lines = [
    commentLine(`${PANEL_TITLES[input.kind]}: ${input.scope}`),
    commentLine(
      `Connection "${input.connectionName}" (${input.connectionKind}), ${dialects.length === 0 ? 'no query ran' : `${dialects.join(', ')} dialect`}.`,
    ),
    commentLine(
      input.queries.length === 0
        ? 'The panel has run no query yet (it is idle, or its connection failed before any query). Refresh it and try again.'
        : `The ${input.queries.length} ${input.queries.length === 1 ? 'query' : 'queries'} behind what the panel shows, in the order they ran, with the bound values written as literals.`,
    ),
    commentLine('Run one with "Sync Logs: Run Query" (Ctrl+Enter / Cmd+Enter) with the cursor in it.'),
    '',
  ];
  input.queries.forEach((q, i) => {
    lines.push(commentLine(`${i + 1}. For ${q.stage}.${tablesRead(q.query.text)}`));
    let text: string;
    try {
      text = inlineSql(q.query, q.dialect);
    } catch (err) {
      if (!(err instanceof InlineSqlError)) throw err;
      // Shown bound, with the values listed apart, rather than a text that could mean something else.
      lines.push(commentLine(`Shown with its placeholders: ${err.message}`));
      q.query.values.forEach((v, k) => lines.push(commentLine(`  value ${k + 1}: ${JSON.stringify(v) ?? String(v)}`)));
      text = q.query.text;
    }
    lines.push(`${text.trim().replace(/;\s*$/, '')};`, '');
  });
  return lines.join('\n');
}
