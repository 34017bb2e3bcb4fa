/**
 * What every output has around its grid or chart: how many rows and how long, a line for
 * notices (copies, exports), the reason a magic comment was not followed, and Export. Every
 * text that comes from the warehouse or the cell goes in as text.
 */
import type { NotebookResultOutput } from '../../src/shared/notebookOutput';
import { el } from '../shared/dom';

export interface OutputFrame {
  element: HTMLElement;
  /** Where the grid or the chart goes. */
  body: HTMLElement;
  /** Says something in the output's status line (e.g. "Copied 3 rows"). */
  notice(text: string): void;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function summaryText(data: NotebookResultOutput): string {
  const ms = `${fmt(Math.round(data.elapsedMs))} ms`;
  if (!data.rowCountExact)
    return `First ${fmt(data.rowCount)} rows in ${ms}; the query has more (syncLogs.maxResultRows caps what is read)`;
  return `${fmt(data.rowCount)} ${data.rowCount === 1 ? 'row' : 'rows'} in ${ms}`;
}

/** `exportRun` absent: no messaging to the host here, so no Export button. */
export function outputFrame(data: NotebookResultOutput, exportRun?: () => void): OutputFrame {
  const notice = el('span', { className: 'slnb-notice', testid: 'nb-notice', attrs: { role: 'status' } });
  const bar = el(
    'div',
    { className: 'slnb-bar' },
    el('span', { className: 'slnb-summary', testid: 'nb-summary', text: summaryText(data) }),
    notice,
  );
  if (exportRun) {
    const button = el('button', {
      className: 'sg-button slnb-button',
      testid: 'nb-export',
      text: 'Export full result…',
      attrs: { type: 'button', title: 'Run the statement again and write every row to a file' },
    });
    button.addEventListener('click', exportRun);
    bar.append(button);
  }
  const body = el('div', { className: 'slnb-body' });
  const problem = data.problem
    ? el('div', { className: 'slnb-problem', testid: 'nb-problem', attrs: { role: 'alert' }, text: data.problem })
    : undefined;
  const element = el('div', { className: 'slnb-root', testid: 'nb-output' }, bar, problem, body);
  return {
    element,
    body,
    notice: (text) => {
      notice.textContent = text;
      notice.title = text;
    },
  };
}
