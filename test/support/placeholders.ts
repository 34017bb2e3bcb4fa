import type { Dialect } from '../../src/sql/dialect';

/** The placeholders of a query text in order of appearance, as 1-based value indexes (`?` numbered by position). */
export function placeholders(d: Dialect, text: string): number[] {
  switch (d.paramStyle) {
    case 'dollar':
      return [...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
    case 'question':
      return [...text.matchAll(/\?/g)].map((_, i) => i + 1);
    case 'at':
      return [...text.matchAll(/@p(\d+)/g)].map((m) => Number(m[1]));
    case 'colon':
      return [...text.matchAll(/:p(\d+)/g)].map((m) => Number(m[1]));
  }
}
