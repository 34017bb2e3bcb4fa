/** A small context menu (role=menu) at a point, closed by Escape, a choice or a click elsewhere. */
import { el as h } from '../shared/dom';

export interface MenuItem {
  label: string;
  run: () => void;
  testid?: string;
}

export function openMenu(host: HTMLElement, x: number, y: number, items: readonly MenuItem[], onClose: () => void) {
  const menu = h('div', { className: 'sg-menu', attrs: { role: 'menu', 'data-testid': 'grid-menu' } });
  const buttons: HTMLElement[] = items.map((item) => {
    const b = h('button', {
      className: 'sg-menu-item',
      text: item.label,
      attrs: {
        role: 'menuitem',
        type: 'button',
        tabindex: '-1',
        ...(item.testid ? { 'data-testid': item.testid } : {}),
      },
    });
    b.addEventListener('click', () => {
      close();
      item.run();
    });
    return b;
  });
  menu.append(...buttons);
  const outside = (e: PointerEvent) => {
    if (!menu.contains(e.target as Node)) close();
  };
  let closed = false;
  function close() {
    if (closed) return;
    closed = true;
    menu.remove();
    document.removeEventListener('pointerdown', outside, true);
    onClose();
  }
  menu.addEventListener('keydown', (e) => {
    e.stopPropagation();
    const at = buttons.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : buttons.length - 1;
      buttons[(at + step) % buttons.length]?.focus();
    }
  });
  host.append(menu);
  // Kept inside the host, so a menu opened near the right or bottom edge stays readable.
  const box = host.getBoundingClientRect();
  const left = Math.max(0, Math.min(x - box.left, host.clientWidth - menu.offsetWidth - 4));
  const top = Math.max(0, Math.min(y - box.top, host.clientHeight - menu.offsetHeight - 4));
  menu.style.left = `${left}px`;
  menu.style.top = `${top}px`;
  document.addEventListener('pointerdown', outside, true);
  buttons[0]?.focus();
  return close;
}
