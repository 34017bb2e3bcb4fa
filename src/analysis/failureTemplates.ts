/**
 * Collapses the variable parts of a failure text (e-mails, ids, long numbers, quoted values,
 * dates, URLs) into placeholders, so one cause reads as one line. Short numbers stay: HTTP
 * statuses and vendor codes (429, 606, 1003) are what categories match on.
 */
// Each rule has a cheap precondition: a breakdown templates tens of thousands of texts, and
// most rules cannot apply to most texts (no @, no quote, no digit).
const hasDigit = (t: string) => /\d/.test(t);
/** A run of `n` ASCII letters, found in one linear pass (the regex /[A-Za-z]{16}/ rescans each run from every letter). */
function hasLetterRun(t: string, n: number): boolean {
  let run = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i) | 32;
    if (c >= 97 && c <= 122) {
      if (++run >= n) return true;
    } else run = 0;
  }
  return false;
}
/** Dashes where a uuid has them (8-4-4-4-12): most texts with a dash have no uuid, and the uuid regex is costly. */
function hasUuidDashes(t: string): boolean {
  for (let i = t.indexOf('-', 8); i >= 0; i = t.indexOf('-', i + 1)) {
    if (t.charCodeAt(i + 5) === 45 && t.charCodeAt(i + 10) === 45 && t.charCodeAt(i + 15) === 45) return true;
  }
  return false;
}
const RULES: [RegExp, string, (text: string) => boolean][] = [
  [/\bhttps?:\/\/[^\s"'<>]+/gi, '<url>', (t) => t.includes('://')],
  // Any token with an @ in it: the e-mails destinations reject are often malformed (a@b,com).
  [/[^\s'"<>()[\]{},;:]*[A-Za-z0-9]@[^\s'"<>()[\]{};:]+/g, '<email>', (t) => t.includes('@')],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>', hasUuidDashes],
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, '<date>', (t) => t.includes('-')],
  [/'(?:[^'\\]|\\.){0,200}'/g, "'<value>'", (t) => t.includes("'")],
  [/"(?:[^"\\]|\\.){0,200}"/g, '"<value>"', (t) => t.includes('"')],
  // Masked secrets (****0099, sk_live_****).
  [/\*{3,}[A-Za-z0-9]*/g, '<masked>', (t) => t.includes('***')],
  // Record ids mix letters and digits (Salesforce 0035e00000AbCdEfG, hex, base62), or are long
  // tokens in mixed case (trace ids); UPPER_CASE codes and words stay.
  [/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{8,}\b/g, '<id>', hasDigit],
  [/\b(?=[A-Za-z]*[a-z][A-Za-z]*[A-Z])(?=[A-Za-z]*[A-Z][A-Za-z]*[a-z])[A-Za-z]{16,}\b/g, '<id>', (t) => hasLetterRun(t, 16)],
  [/\b\d+(?= ?(?:ms|milliseconds?|s|secs?|seconds?|minutes?|mins?|hours?)\b)/g, '<n>', hasDigit],
  [/\b\d+\.\d+\b/g, '<n>', hasDigit],
  [/\b\d{5,}\b/g, '<n>', hasDigit],
  // Positions in a batch (operations[581]) and signed or hyphen-joined ids (-123-456).
  [/\[\d+\]/g, '[<n>]', (t) => t.includes('[')],
  [/-*<n>(?:-+<n>)+/g, '<n>', (t) => t.includes('<n>')],
  [/\(-<n>\)/g, '(<n>)', (t) => t.includes('(-<n>)')],
];

export function failureTemplate(text: string): string {
  let out = text;
  for (const [re, placeholder, applies] of RULES) if (applies(out)) out = out.replace(re, placeholder);
  // Most texts are already single-spaced: test before rebuilding the string.
  return / {2}|[^\S ]|^ | $/.test(out) ? out.replace(/\s+/g, ' ').trim() : out;
}

export interface ReasonCount {
  reason: string | null;
  count: number;
  sampleRowId: string | null;
}

export interface TemplateGroup {
  template: string | null;
  count: number;
  /** Distinct raw texts folded into this template. */
  distinctTexts: number;
  /** The most frequent raw text, to show as an example. */
  example: string | null;
  sampleRowId: string | null;
}

/** Groups per-text counts (already aggregated in the warehouse) by template, most frequent first. */
export function groupByTemplate(rows: readonly ReasonCount[]): TemplateGroup[] {
  const groups = new Map<string | null, TemplateGroup & { exampleCount: number }>();
  for (const r of rows) {
    const template = r.reason === null ? null : failureTemplate(r.reason);
    let g = groups.get(template);
    if (!g) {
      g = { template, count: 0, distinctTexts: 0, example: r.reason, sampleRowId: r.sampleRowId, exampleCount: -1 };
      groups.set(template, g);
    }
    g.count += r.count;
    g.distinctTexts += 1;
    if (r.count > g.exampleCount) {
      g.example = r.reason;
      g.sampleRowId = r.sampleRowId;
      g.exampleCount = r.count;
    }
  }
  return [...groups.values()]
    .map(({ exampleCount: _ignored, ...g }) => g)
    .sort((a, b) => b.count - a.count || String(a.template).localeCompare(String(b.template)));
}
