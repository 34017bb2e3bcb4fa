/**
 * The magic comment that picks a cell's output, read from the cell's first comment lines:
 *
 *   -- synclogs: chart=line x=started_at y=failed,succeeded
 *   -- synclogs: chart=stacked x=day y=rows series=category
 *   -- synclogs: table          (the grid, as with no comment)
 *   -- synclogs: text           (the plain text table only)
 *
 * Column names with spaces or commas go in double quotes (`y="failed rows"`, `""` for a quote).
 * A comment that cannot be read never stops the cell: the grid is shown with the reason, so a
 * typo costs a glance, not a re-run. Which columns exist is checked later, against the result
 * (chartData.ts). Pure: no vscode, no DOM.
 */
import { CHART_KINDS, type ChartKind } from '../shared/notebookOutput';

export interface ChartChoice {
  output: 'chart';
  chart: ChartKind;
  x: string;
  y: string[];
  series?: string;
}

export type OutputChoice = { output: 'grid' } | { output: 'text' } | ChartChoice;

export interface ParsedOutputComment {
  choice: OutputChoice;
  /** Why the comment was not followed; the choice is then the grid (or text, when it said so). */
  problem?: string;
}

const GRID: OutputChoice = { output: 'grid' };
const MARKER = /^synclogs\s*:/i;
const KEYS = ['chart', 'x', 'y', 'series'] as const;
type Key = (typeof KEYS)[number];
export const OUTPUT_COMMENT_HELP =
  'write `-- synclogs: table`, `-- synclogs: text` or `-- synclogs: chart=bar|stacked|line x=<column> y=<column>[,<column>…] [series=<column>]`';

/** The magic comment's text after `synclogs:`, from the comment lines before the first SQL; undefined when there is none. */
export function outputCommentText(sql: string): string | undefined {
  for (const raw of sql.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (!line.startsWith('--')) return undefined;
    const body = line.slice(2).trim();
    if (MARKER.test(body)) return body.replace(MARKER, '').trim();
  }
  return undefined;
}

/** The output the cell's magic comment asks for (the grid when there is no comment). */
export function parseOutputComment(sql: string): ParsedOutputComment {
  const text = outputCommentText(sql);
  if (text === undefined) return { choice: GRID };
  const tokens = tokenize(text);
  if ('problem' in tokens) return bad(tokens.problem);
  if (tokens.words.length === 0)
    return bad(`the magic comment says nothing after "synclogs:"; ${OUTPUT_COMMENT_HELP}.`);

  const bare = tokens.words.filter((w) => w.value === undefined);
  const settings = new Map<Key, string[]>();
  for (const w of tokens.words) {
    if (w.value === undefined) continue;
    const key = w.key.toLowerCase() as Key;
    if (!KEYS.includes(key)) return bad(`unknown setting "${w.key}="; the settings are chart=, x=, y= and series=.`);
    if (settings.has(key)) return bad(`"${key}=" is given twice.`);
    settings.set(key, w.value);
  }
  if (bare.length) {
    const word = bare[0].key.toLowerCase();
    if (word !== 'table' && word !== 'text') return bad(`unknown word "${bare[0].key}"; ${OUTPUT_COMMENT_HELP}.`);
    if (tokens.words.length > 1) return bad(`"${word}" takes nothing after it; ${OUTPUT_COMMENT_HELP}.`);
    return { choice: word === 'text' ? { output: 'text' } : GRID };
  }
  return chartChoice(settings);
}

function chartChoice(settings: Map<Key, string[]>): ParsedOutputComment {
  const kind = settings.get('chart');
  if (!kind) return bad(`x=, y= and series= go with chart=bar, chart=stacked or chart=line.`);
  if (kind.length !== 1 || !CHART_KINDS.includes(kind[0].toLowerCase() as ChartKind))
    return bad(`chart=${kind.join(',')} is not a chart here: chart=bar, chart=stacked or chart=line.`);
  const chart = kind[0].toLowerCase() as ChartKind;
  const x = settings.get('x');
  const y = settings.get('y');
  if (!x || !y) return bad(`chart=${chart} needs x=<column> and y=<column>[,<column>…].`);
  if (x.length !== 1) return bad(`x= takes one column (it has ${x.length}).`);
  const series = settings.get('series');
  if (series && series.length !== 1) return bad(`series= takes one column (it has ${series.length}).`);
  if (series && y.length !== 1)
    return bad(`series= splits one y column into series; y= has ${y.length} (${y.join(', ')}).`);
  return { choice: { output: 'chart', chart, x: x[0], y, ...(series ? { series: series[0] } : {}) } };
}

function bad(reason: string): ParsedOutputComment {
  return { choice: GRID, problem: `The output comment was not followed: ${reason}` };
}

interface Word {
  key: string;
  /** The comma-separated names after `=`; undefined for a bare word. */
  value?: string[];
}

/** Words split at spaces; `key=a,"b c"` gives key and names (quotes keep spaces and commas). */
function tokenize(text: string): { words: Word[] } | { problem: string } {
  const words: Word[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    const start = i;
    while (i < text.length && !/[\s=]/.test(text[i])) i++;
    const key = text.slice(start, i);
    if (text[i] !== '=') {
      words.push({ key });
      continue;
    }
    if (key === '') return { problem: 'a setting has no name before "=".' };
    i++;
    const names: string[] = [];
    for (;;) {
      let name = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) return { problem: `a quote in "${key}=" is not closed.` };
          if (text[i] === '"' && text[i + 1] === '"') {
            name += '"';
            i += 2;
          } else if (text[i] === '"') {
            i++;
            break;
          } else name += text[i++];
        }
      } else {
        const from = i;
        while (i < text.length && !/[\s,"]/.test(text[i])) i++;
        name = text.slice(from, i);
      }
      if (name === '') return { problem: `"${key}=" has an empty name.` };
      names.push(name);
      if (text[i] !== ',') break;
      i++;
    }
    if (i < text.length && !/\s/.test(text[i])) return { problem: `unexpected "${text[i]}" after "${key}=".` };
    words.push({ key, value: names });
  }
  return { words };
}
