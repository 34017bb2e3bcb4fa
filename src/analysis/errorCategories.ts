/**
 * Error categories: named JavaScript regular expressions (case-insensitive, first match wins)
 * that sort destination failure texts into causes. Defaults ship with the extension; users add,
 * reorder and override them in settings or in a workspace JSON file. Everything here is pure:
 * the host reads the setting and the file and hands the raw values in.
 */
import { UNEXPECTED, type CategoryDef, type CategoryProblem, type CategorySource } from '../shared/analysisData';
import { DEFAULT_PATTERNS } from '../shared/defaultCategories';
import { SETTINGS } from '../shared/ids';
import { describeRisk, patternRisk } from './patternRisk';

/** The built-in categories (shared/defaultCategories.ts) as definitions, in order. */
export const DEFAULT_CATEGORIES: readonly CategoryDef[] = Object.freeze(
  DEFAULT_PATTERNS.map(([name, pattern]): CategoryDef =>
    Object.freeze({ name, pattern, source: 'default', origin: 'default' }),
  ),
);

/** Longer patterns are refused: nobody writes them by hand, and they are where runaway backtracking hides. */
export const MAX_PATTERN_LENGTH = 1000;
/** More categories than this is a pasted list gone wrong; each one costs a regex test per failure text. */
export const MAX_CATEGORIES = 500;
/** Only this much of a failure text is matched: some destinations return whole HTML pages, and a slow pattern on megabytes would freeze the host. */
export const MAX_MATCHED_TEXT = 10_000;
/**
 * How long one user pattern may run on one text (in the classifier worker) before it is stopped
 * and its category skipped. A sane pattern takes microseconds on a 10,000-character text; a
 * second is already exponential backtracking, which would otherwise run for hours.
 */
export const PATTERN_BUDGET_MS = 1000;
/**
 * How long one user pattern may run in total over one breakdown's texts: under a second per text
 * on each of 50,000 texts is hours too.
 */
export const PATTERN_TOTAL_BUDGET_MS = 10_000;

export interface ParsedCategories {
  categories: CategoryDef[];
  problems: CategoryProblem[];
}

export interface CompiledCategory {
  name: string;
  regex: RegExp;
  def: CategoryDef;
}

export interface CompiledCategories {
  compiled: CompiledCategory[];
  problems: CategoryProblem[];
  /** User patterns that compiled but have a shape that can backtrack exponentially: they run, under the time budget. */
  warnings: CategoryProblem[];
}

/** A user category (settings or workspace file): its pattern is untrusted, so it runs only in the classifier worker, under a time budget. */
export const isUserCategory = (c: { def: CategoryDef }): boolean => c.def.source !== 'default';

/** How every category pattern is compiled, on the host and in the worker alike. */
export const compilePattern = (pattern: string): RegExp => new RegExp(pattern, 'i');

/** The part of a failure text that patterns see. */
export const matchSubject = (text: string): string =>
  text.length > MAX_MATCHED_TEXT ? text.slice(0, MAX_MATCHED_TEXT) : text;

let userPatternsForbiddenHere = false;

/**
 * Makes this thread refuse to run user patterns (the extension host calls it: one slow pattern
 * there freezes every extension and the editor's commands). categorize() then throws instead of
 * running one, so a code path that forgot the worker fails loudly rather than hanging.
 */
export function forbidUserPatternsOnThisThread(): void {
  userPatternsForbiddenHere = true;
}

export class UserPatternOnHostError extends Error {
  constructor(name: string) {
    super(
      `Category "${name}" was about to be matched on the extension host's thread; user patterns run only in the classifier worker. This is a bug in Sync Logs Explorer.`,
    );
    this.name = 'UserPatternOnHostError';
  }
}

const SHAPE_HELP =
  'Write either an array of objects, e.g. [{"name": "rate_limit", "pattern": "429|too many requests"}], ' +
  'or an object mapping names to patterns, e.g. {"rate_limit": "429|too many requests"}.';

/** A short description of what a value is, for messages ("a string", "an array item of type number"). */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function shapeProblem(where: string, message: string): CategoryProblem {
  return { name: '', pattern: '', origin: where, message };
}

/** One entry's name and pattern, or the problem with it. */
function checkEntry(
  name: unknown,
  pattern: unknown,
  origin: string,
  source: CategorySource,
): CategoryDef | CategoryProblem {
  const shownName = typeof name === 'string' ? name : '';
  const shownPattern = typeof pattern === 'string' ? pattern : '';
  const problem = (message: string): CategoryProblem => ({ name: shownName, pattern: shownPattern, origin, message });
  if (typeof name !== 'string' || name.trim() === '') {
    return problem(
      `${origin}: the category has no name (got ${kindOf(name)}); it is skipped. Give it a "name", e.g. "rate_limit".`,
    );
  }
  // The UNEXPECTED bucket is where nothing matched; a category of that name would blur the one signal the panel exists for.
  if (name.trim().toLowerCase() === UNEXPECTED) {
    return problem(
      `${origin}: "${UNEXPECTED}" is reserved for failures no category matches; the category is skipped. Rename it.`,
    );
  }
  if (typeof pattern !== 'string') {
    return problem(
      `${origin}: category "${name}" has ${kindOf(pattern)} as its pattern; it is skipped. Write the pattern as a string, e.g. "429|too many requests".`,
    );
  }
  return { name: name.trim(), pattern, source, origin };
}

/**
 * User categories from an already-parsed value (the setting's value, or the file's JSON).
 * `where` names the place for messages and origins, e.g. `settings: syncLogs.errorCategories`.
 * Undefined or null means "none configured", not a mistake.
 */
export function parseCategoryValue(value: unknown, source: CategorySource, where: string): ParsedCategories {
  const categories: CategoryDef[] = [];
  const problems: CategoryProblem[] = [];
  if (value === undefined || value === null) return { categories, problems };

  let entries: [origin: string, name: unknown, pattern: unknown][];
  if (Array.isArray(value)) {
    entries = [];
    value.forEach((item, i) => {
      const origin = `${where}[${i}]`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        problems.push(
          shapeProblem(origin, `${origin} is ${kindOf(item)}, not a category; it is skipped. ${SHAPE_HELP}`),
        );
      } else {
        const o = item as Record<string, unknown>;
        entries.push([origin, o.name, o.pattern]);
      }
    });
  } else if (typeof value === 'object') {
    entries = Object.entries(value as Record<string, unknown>).map(([name, pattern]) => [
      `${where}[${JSON.stringify(name)}]`,
      name,
      pattern,
    ]);
  } else {
    problems.push(shapeProblem(where, `${where} is ${kindOf(value)}, so no user category was read. ${SHAPE_HELP}`));
    return { categories, problems };
  }

  for (const [origin, name, pattern] of entries) {
    if (categories.length >= MAX_CATEGORIES) {
      problems.push(
        shapeProblem(
          where,
          `${where} has more than ${MAX_CATEGORIES} categories; the rest are skipped. Keep the list to the causes you act on.`,
        ),
      );
      break;
    }
    const checked = checkEntry(name, pattern, origin, source);
    if ('message' in checked) problems.push(checked);
    else categories.push(checked);
  }
  return { categories, problems };
}

/** User categories from the `syncLogs.errorCategories` setting's value. */
export function parseSettingsCategories(
  value: unknown,
  settingName: string = SETTINGS.errorCategories,
): ParsedCategories {
  return parseCategoryValue(value, 'settings', `settings: ${settingName}`);
}

/**
 * What Edit Error Categories writes: no category at all, so creating the file changes nothing
 * (an example entry here once moved 112 failures out of Unexpected before anyone edited it).
 * The help is in comments, which parseWorkspaceCategories skips.
 */
export const EMPTY_CATEGORIES_FILE = `// Your team's error categories for the Sync Logs Error Breakdown.
// While the list below is empty, this file changes nothing: the built-in categories apply.
//
// Each entry has a name and a pattern: a JavaScript regular expression, matched
// case-insensitively against each failure text. Entries are tried in order, before the
// built-in categories; the first match wins. An entry named like a built-in one replaces it.
// Comments (// and /* */) are fine; trailing commas are not. Save the file and open Error
// Breakdown panels reload. For example, remove the // before the entry below:
[
  // { "name": "loyalty_tier_unknown", "pattern": "unknown loyalty tier" }
]
`;

/**
 * The text with its // and /* *\/ comments blanked (each character a space, line breaks kept, so
 * a JSON error still points at the right place). The file lives in .vscode, where the editor
 * treats JSON as JSON with comments, and the file Edit Error Categories writes explains itself
 * in comments. One pass; strings (with their escapes) are left as they are. An unclosed block
 * comment runs to the end, as the editor shows it.
 */
export function stripJsonComments(text: string): string {
  const n = text.length;
  let out = '';
  let copied = 0;
  const blank = (from: number, to: number) => {
    out += text.slice(copied, from) + text.slice(from, to).replace(/[^\r\n]/g, ' ');
    copied = to;
  };
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < n && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      let end = i + 2;
      while (end < n && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
      blank(i, end);
      i = end - 1;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      blank(i, end);
      i = end - 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** User categories from the text of a workspace file (e.g. `.vscode/sync-logs-categories.json`): JSON, comments allowed. */
export function parseWorkspaceCategories(
  text: string,
  fileLabel = '.vscode/sync-logs-categories.json',
): ParsedCategories {
  let value: unknown;
  try {
    value = JSON.parse(stripJsonComments(text));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return {
      categories: [],
      problems: [
        shapeProblem(
          fileLabel,
          `${fileLabel} is not valid JSON (${reason}), so none of its categories were read. Fix the file (JSON: // and /* */ comments are fine, trailing commas are not). ${SHAPE_HELP}`,
        ),
      ],
    };
  }
  return parseCategoryValue(value, 'workspace', fileLabel);
}

/**
 * The list the categorizer uses: user categories first (workspace, then settings, each in its
 * own order), then the defaults no user category overrides. A user category named like a
 * default replaces it; when a name appears twice among user categories the first one is kept,
 * since the second could never be told apart in the breakdown.
 */
export function mergeCategories(
  workspace: readonly CategoryDef[],
  settings: readonly CategoryDef[],
  defaults: readonly CategoryDef[],
  includeDefaults: boolean,
): CategoryDef[] {
  const out: CategoryDef[] = [];
  const seen = new Set<string>();
  for (const def of [...workspace, ...settings]) {
    if (seen.has(def.name)) continue;
    seen.add(def.name);
    out.push(def);
  }
  if (includeDefaults) for (const def of defaults) if (!seen.has(def.name)) out.push(def);
  return out;
}

/** Turns definitions into matchers; an unusable pattern is reported and its category skipped, the rest still work. */
export function compileCategories(defs: readonly CategoryDef[]): CompiledCategories {
  const compiled: CompiledCategory[] = [];
  const problems: CategoryProblem[] = [];
  const warnings: CategoryProblem[] = [];
  for (const def of defs) {
    const origin = def.origin ?? def.source;
    const problem = (why: string, fix: string): void => {
      problems.push({
        name: def.name,
        pattern: def.pattern,
        origin,
        message: `Category "${def.name}" (${origin}): ${why} The category is skipped. ${fix}`,
      });
    };
    if (def.pattern.length > MAX_PATTERN_LENGTH) {
      problem(
        `the pattern is ${def.pattern.length} characters long, over the limit of ${MAX_PATTERN_LENGTH}.`,
        'Split it into several categories or shorten it.',
      );
      continue;
    }
    // An empty pattern matches every text: it would swallow every failure, including the unexpected ones.
    if (def.pattern === '') {
      problem(
        'the pattern is empty, so it would match every failure.',
        'Write a pattern, e.g. "429|too many requests".',
      );
      continue;
    }
    let regex: RegExp;
    try {
      regex = compilePattern(def.pattern);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      problem(
        `the pattern /${def.pattern}/ is not a valid JavaScript regular expression: ${reason}.`,
        'Fix the pattern: escape literal characters such as ( ) [ ] . * + ? with a backslash (written \\\\ inside JSON strings).',
      );
      continue;
    }
    const entry: CompiledCategory = { name: def.name, regex, def };
    compiled.push(entry);
    // The defaults are vetted (and tested to pass this check); only user patterns are looked at.
    const risk = isUserCategory(entry) ? patternRisk(def.pattern) : undefined;
    if (risk) {
      warnings.push({
        name: def.name,
        pattern: def.pattern,
        origin,
        message:
          `Category "${def.name}" (${origin}): the pattern may be slow: ${describeRisk(risk)}. ` +
          `It still runs, in a worker, and is skipped if it takes over ${PATTERN_BUDGET_MS / 1000} s on one text. ` +
          'Rewrite it without the nesting, e.g. "a+" rather than "(a+)+", or "(\\w+ )*\\w+" rather than "(\\w+\\s?)+".',
      });
    }
  }
  return { compiled, problems, warnings };
}

/** The first category whose pattern matches the text, or UNEXPECTED. */
export function categorize(text: string, compiled: readonly CompiledCategory[]): string {
  const subject = matchSubject(text);
  for (const c of compiled) {
    if (userPatternsForbiddenHere && isUserCategory(c)) throw new UserPatternOnHostError(c.name);
    if (c.regex.test(subject)) return c.name;
  }
  return UNEXPECTED;
}
