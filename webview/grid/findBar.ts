/** The find bar (Ctrl+F in the grid): a query, "3 of 12", next and previous, Escape to close. */
import { el as h } from '../shared/dom';
import type { FindResult } from '../../src/shared/grid/find';

export interface FindBarOptions {
  onQuery: (query: string) => void;
  onStep: (backwards: boolean) => void;
  onClose: () => void;
}

export class FindBar {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly count: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(o: FindBarOptions) {
    this.input = h('input', {
      className: 'sg-input',
      attrs: {
        type: 'search',
        placeholder: 'Find in results',
        'aria-label': 'Find in results',
        'data-testid': 'find-input',
      },
    }) as HTMLInputElement;
    this.count = h('span', {
      className: 'sg-muted sg-find-count',
      attrs: { role: 'status', 'data-testid': 'find-count' },
    });
    const prev = h('button', {
      className: 'sg-button',
      text: '↑',
      attrs: { type: 'button', 'aria-label': 'Previous match', title: 'Previous match (Shift+Enter)' },
    });
    const next = h('button', {
      className: 'sg-button',
      text: '↓',
      attrs: { type: 'button', 'aria-label': 'Next match', title: 'Next match (Enter)' },
    });
    const close = h('button', {
      className: 'sg-button',
      text: '×',
      attrs: { type: 'button', 'aria-label': 'Close find', title: 'Close (Escape)' },
    });
    this.element = h(
      'div',
      { className: 'sg-find', attrs: { role: 'search', hidden: '', 'data-testid': 'find-bar' } },
      this.input,
      this.count,
      prev,
      next,
      close,
    );
    this.input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => o.onQuery(this.input.value), 150);
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        clearTimeout(this.timer);
        o.onStep(e.shiftKey);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        this.hide();
        o.onClose();
      }
    });
    prev.addEventListener('click', () => o.onStep(true));
    next.addEventListener('click', () => o.onStep(false));
    close.addEventListener('click', () => {
      this.hide();
      o.onClose();
    });
  }

  open(query: string): void {
    this.element.hidden = false;
    if (query) this.input.value = query;
    this.input.focus();
    this.input.select();
  }

  hide(): void {
    this.element.hidden = true;
    this.input.value = '';
    this.count.textContent = '';
  }

  showCount(found: FindResult | undefined): void {
    if (!found) this.count.textContent = '';
    else if (found.count === 0) this.count.textContent = 'No matches';
    else
      this.count.textContent = `${(found.index ?? 0).toLocaleString('en-US')} of ${found.count.toLocaleString('en-US')}`;
  }
}
