/**
 * A sync-log notebook as text: a plain SQL file (`*.synclogs.sql`) whose cells are separated by
 * marker comments, so the file runs as a script anywhere (markdown cells are comments), diffs
 * cleanly, and opens as text too:
 *
 *   -- %% [markdown]
 *   -- # Why is sync 50744 failing?
 *   -- %% sql
 *   select ...;
 *   -- %% sql output=chart chart=bar x=day y=rows
 *   select ...;
 *
 * A marker is a `--` line comment starting at the beginning of a line with `%%`; one inside a
 * string, a quoted name or a block comment is text (the project's lexer decides). Pure: no vscode.
 *
 * Round trip: each parsed cell keeps the exact text it came from (`raw`) with the value it had, and
 * a cell whose value is unchanged is written back as that text, so a hand-written file with odd
 * spacing is byte-identical after open and save; an edited or new cell is written canonically.
 */
import { SqlScanner, type LexicalTraits } from '../sql/lexer';

export type CellKind = 'sql' | 'markdown';

export interface NotebookCellText {
  kind: CellKind;
  /** What the editor shows: SQL as written; markdown without its comment prefixes. */
  value: string;
  /** `key=value` words after the marker (output=chart chart=bar x=… y=…): the cell's options. */
  options: Record<string, string>;
  /** The exact text the cell was parsed from (marker line included) and the value it had then. */
  source?: { raw: string; value: string };
}

const MARKER = /^--\s*%%(.*)$/;

/** Marker line offsets: `--` comments at a line start that begin with `%%`. */
function markerStarts(text: string, traits: LexicalTraits): number[] {
  const out: number[] = [];
  const scan = new SqlScanner(text, traits);
  while (scan.next()) {
    if (scan.kind !== 'comment') continue;
    if (scan.start > 0 && text.charCodeAt(scan.start - 1) !== 10) continue;
    if (MARKER.test(text.slice(scan.start, scan.end).replace(/\r$/, ''))) out.push(scan.start);
  }
  return out;
}

function parseMarker(line: string): { kind: CellKind; options: Record<string, string> } {
  const rest = (MARKER.exec(line.replace(/\r$/, ''))?.[1] ?? '').trim();
  const words = rest.split(/\s+/).filter(Boolean);
  const kind: CellKind = words[0] === '[markdown]' || words[0] === 'md' || words[0] === 'markdown' ? 'markdown' : 'sql';
  const options: Record<string, string> = {};
  for (const w of words.slice(words[0] === 'sql' || kind === 'markdown' ? 1 : 0)) {
    const eq = w.indexOf('=');
    if (eq > 0) options[w.slice(0, eq)] = w.slice(eq + 1);
  }
  return { kind, options };
}

/** The body between a marker line and the next marker: trailing line breaks belong to the separation, not the cell. */
const trimBody = (body: string) => body.replace(/(\r?\n)+$/, '');

/** Markdown from comment lines: `-- text` -> `text`, a bare `--` -> an empty line; other lines are kept as they are. */
function markdownValue(body: string): string {
  return body
    .split('\n')
    .map((line) => {
      const l = line.replace(/\r$/, '');
      return l.startsWith('-- ') ? l.slice(3) : l === '--' ? '' : l.startsWith('--') ? l.slice(2) : l;
    })
    .join('\n');
}

export function parseNotebook(text: string, traits: LexicalTraits): NotebookCellText[] {
  const starts = markerStarts(text, traits);
  const cells: NotebookCellText[] = [];
  const pieces: [number, number][] = [];
  if (starts.length === 0 || starts[0] > 0) pieces.push([0, starts[0] ?? text.length]);
  starts.forEach((s, i) => pieces.push([s, starts[i + 1] ?? text.length]));
  // Blank lines before the first marker are kept with that cell's text, not shown as an empty cell.
  let lead = '';
  for (const [from, to] of pieces) {
    const text_ = text.slice(from, to);
    if (!starts.includes(from)) {
      // Text before the first marker (or a whole plain SQL file): one SQL cell.
      if (text_.trim() === '' && starts.length > 0) {
        lead = text_;
        continue;
      }
      const value = trimBody(text_);
      cells.push({ kind: 'sql', value, options: {}, source: { raw: text_, value } });
      continue;
    }
    const raw = lead + text_;
    lead = '';
    const nl = text_.indexOf('\n');
    const marker = nl < 0 ? text_ : text_.slice(0, nl);
    const body = nl < 0 ? '' : text_.slice(nl + 1);
    const { kind, options } = parseMarker(marker);
    const value = kind === 'markdown' ? markdownValue(trimBody(body)) : trimBody(body);
    cells.push({ kind, value, options, source: { raw, value } });
  }
  return cells;
}

function markerLine(cell: NotebookCellText): string {
  const opts = Object.entries(cell.options)
    .filter(([k, v]) => /^[\w.-]+$/.test(k) && v !== '' && !/\s/.test(v))
    .map(([k, v]) => ` ${k}=${v}`)
    .join('');
  return cell.kind === 'markdown' ? `-- %% [markdown]${opts}` : `-- %% sql${opts}`;
}

/** A cell written fresh: its marker, its body (markdown as `-- ` comments), and a blank line after. */
function canonical(cell: NotebookCellText): string {
  const body =
    cell.kind === 'markdown'
      ? cell.value
          .split('\n')
          .map((l) => (l === '' ? '--' : `-- ${l}`))
          .join('\n')
      : cell.value;
  return `${markerLine(cell)}\n${body === '' ? '' : `${body}\n`}\n`;
}

/**
 * Cells back to text. An unedited cell is its source text exactly (an unmarked first cell stays
 * unmarked, so a plain SQL file stays plain); an edited, moved or new cell is written canonically.
 */
export function serializeNotebook(cells: readonly NotebookCellText[]): string {
  let out = '';
  cells.forEach((cell, i) => {
    if (cell.source && cell.source.value === cell.value && sameOptions(cell, cell.source.raw, i === 0)) {
      out += cell.source.raw;
      // A source that ended the file without a line break gets one when something follows it.
      if (i < cells.length - 1 && !out.endsWith('\n')) out += '\n';
      return;
    }
    if (out !== '' && !out.endsWith('\n')) out += '\n';
    out += canonical(cell);
  });
  return out;
}

/** An unchanged source still fits the cell: same kind and options as its marker says (or unmarked SQL first). */
function sameOptions(cell: NotebookCellText, raw: string, first: boolean): boolean {
  const line = raw.split('\n').find((l) => l.trim() !== '') ?? '';
  if (!MARKER.test(line.replace(/\r$/, '')))
    return first && cell.kind === 'sql' && Object.keys(cell.options).length === 0;
  const parsed = parseMarker(line);
  const a = Object.entries(parsed.options).sort().join('&');
  const b = Object.entries(cell.options).sort().join('&');
  return parsed.kind === cell.kind && a === b;
}
