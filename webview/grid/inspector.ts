/**
 * The cell inspector: a dialog over the grid showing one value in full, JSON pretty-printed,
 * always as text (textContent). Copy puts the shown text on the clipboard through the grid's
 * clipboard writer; Escape or Close returns focus to the grid.
 */
import { inspectValue } from './inspectorText';
import { el as h } from '../shared/dom';

export interface InspectorOptions {
  columnName: string;
  columnType: string;
  value: unknown;
  copy: (text: string) => void;
  onClose: () => void;
}

export function openInspector(host: HTMLElement, o: InspectorOptions): HTMLElement {
  const shown = inspectValue(o.value);
  const body = h('pre', {
    className: `sg-inspector-body${shown.kind === 'null' ? ' sg-null' : ''}`,
    text: shown.text,
    attrs: { tabindex: '0', 'data-testid': 'inspector-text' },
  });
  const close = h('button', { className: 'sg-button', text: 'Close', attrs: { type: 'button' } });
  const copy = h('button', {
    className: 'sg-button',
    text: 'Copy',
    attrs: { type: 'button', 'data-testid': 'inspector-copy' },
  });
  const title = h(
    'div',
    { className: 'sg-inspector-title' },
    h('bdi', { className: 'col-name', text: o.columnName }),
    h('bdi', { className: 'col-type', text: o.columnType }),
    h('span', {
      className: 'sg-muted',
      text:
        shown.kind === 'null'
          ? 'NULL'
          : `${shown.length.toLocaleString('en-US')} characters${shown.kind === 'json' ? ', JSON' : ''}`,
    }),
  );
  const dialog = h(
    'div',
    {
      className: 'sg-inspector',
      attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Cell value', 'data-testid': 'inspector' },
    },
    title,
    body,
    h('div', { className: 'sg-inspector-actions' }, copy, close),
  );
  const done = () => {
    dialog.remove();
    o.onClose();
  };
  copy.addEventListener('click', () => o.copy(shown.text));
  close.addEventListener('click', done);
  dialog.addEventListener('keydown', (e) => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      done();
    } else if (e.key === 'Tab') {
      // Focus stays in the dialog while it is open.
      const stops: HTMLElement[] = [body, copy, close];
      const at = stops.indexOf(document.activeElement as HTMLElement);
      e.preventDefault();
      stops[(at + (e.shiftKey ? stops.length - 1 : 1)) % stops.length].focus();
    }
  });
  host.append(dialog);
  body.focus();
  return dialog;
}
