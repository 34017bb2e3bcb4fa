/**
 * The per-column filter: an operator (contains, equals, is NULL, is not NULL) and a value.
 * Native controls: the grid is also mounted where the toolkit's elements are not registered
 * (a notebook renderer), and a native select is as keyboard-friendly.
 */
import { el as h } from '../shared/dom';
import { FILTER_OPS, type ColumnFilter, type FilterOp } from '../../src/shared/grid/viewModel';

const OP_LABELS: Record<FilterOp, string> = {
  contains: 'contains',
  equals: 'equals',
  isNull: 'is NULL',
  notNull: 'is not NULL',
};

export interface FilterPopoverOptions {
  columnName: string;
  current: ColumnFilter | undefined;
  apply: (filter: Omit<ColumnFilter, 'column'> | undefined) => void;
  onClose: () => void;
}

export function openFilterPopover(host: HTMLElement, x: number, y: number, o: FilterPopoverOptions): void {
  const op = h('select', {
    className: 'sg-input',
    attrs: { 'aria-label': 'Operator', 'data-testid': 'filter-op' },
  }) as HTMLSelectElement;
  for (const k of FILTER_OPS) op.append(h('option', { text: OP_LABELS[k], attrs: { value: k } }));
  op.value = o.current?.op ?? 'contains';
  const value = h('input', {
    className: 'sg-input',
    attrs: { type: 'text', 'aria-label': 'Value', 'data-testid': 'filter-value-input' },
  }) as HTMLInputElement;
  value.value = o.current?.value ?? '';
  const apply = h('button', {
    className: 'sg-button',
    text: 'Apply',
    attrs: { type: 'button', 'data-testid': 'filter-apply' },
  });
  const clear = h('button', { className: 'sg-button', text: 'Clear', attrs: { type: 'button' } });
  const box = h(
    'div',
    {
      className: 'sg-popover',
      attrs: { role: 'dialog', 'aria-label': 'Filter column', 'data-testid': 'filter-popover' },
    },
    h('div', { className: 'sg-popover-title' }, h('span', { text: 'Filter ' }), h('bdi', { text: o.columnName })),
    op,
    value,
    h('div', { className: 'sg-inspector-actions' }, apply, clear),
  );
  const syncValue = () => (value.disabled = op.value === 'isNull' || op.value === 'notNull');
  syncValue();
  op.addEventListener('change', syncValue);
  const outside = (e: PointerEvent) => {
    if (!box.contains(e.target as Node)) close();
  };
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    box.remove();
    document.removeEventListener('pointerdown', outside, true);
    o.onClose();
  };
  const done = () => {
    const chosen = op.value as FilterOp;
    const needsValue = chosen === 'contains' || chosen === 'equals';
    close();
    o.apply(needsValue && value.value === '' ? undefined : { op: chosen, value: needsValue ? value.value : '' });
  };
  apply.addEventListener('click', done);
  clear.addEventListener('click', () => {
    close();
    o.apply(undefined);
  });
  box.addEventListener('keydown', (e) => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'Enter' && e.target !== apply) {
      e.preventDefault();
      done();
    }
  });
  host.append(box);
  const hostBox = host.getBoundingClientRect();
  box.style.left = `${Math.max(0, Math.min(x - hostBox.left, host.clientWidth - box.offsetWidth - 4))}px`;
  box.style.top = `${Math.max(0, y - hostBox.top)}px`;
  document.addEventListener('pointerdown', outside, true);
  value.focus();
}
