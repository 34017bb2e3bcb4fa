/**
 * Collapses the variable parts of a failure text (e-mails, ids, long numbers, quoted values,
 * dates, URLs) into placeholders, so one cause reads as one line. Short numbers stay: HTTP
 * statuses and vendor codes (429, 606, 1003) are what categories match on.
 */
import {
  isRegExpSpace,
  keepQuoted,
  replaceEmails,
  replaceIds,
  replaceJoinedNumbers,
  replaceQuoted,
  replaceUuids,
} from './failureTextScan';

/**
 * How much of one text is templated. Destinations' failure reasons are a line or a JSON error
 * of a few hundred characters (the longest the demo models is 296); a longer text is a dump (an
 * HTML page, a stack trace), where the head is what tells one cause from another. The rules are
 * linear, so this bounds one text's cost (about 0.2 ms for the worst shape) whatever the
 * warehouse holds. The whole text is still what the panels show as the example.
 */
export const TEMPLATED_LENGTH = 4096;
/** A cut ends at a space this close to the limit, so no token is templated half. */
const CUT_BACKOFF = 256;
/**
 * Ends a cut text's template. No-break space: the templater turns every other space into a plain
 * one, so no uncut text's template can end this way and group with a cut one.
 */
export const CUT_MARKER = '\u00a0…';

// A breakdown templates tens of thousands of texts while the user waits, so each rule runs only
// where a cheap test says it can apply (no @, no quote, no digit), and the costliest patterns
// are plain scans (failureTextScan.ts). The patterns left are linear: no two quantifiers in one
// of them can match the same characters. LINK, MASKED and the spaces' end in their quantifier
// and never give back; a failed try of DURATION, DECIMAL, LONG_NUMBER, POSITION or DATE's
// fraction gives back one run of digits, and a start inside that run is refused at once by its
// \b or [ (templaterLinear.test.ts measures each on 1 MB texts).
const hasDigit = (t: string) => /\d/.test(t);
/** Tabs, newlines, doubled, leading or trailing spaces: most texts are single-spaced, and rebuilding them costs. */
const hasOddSpace = (t: string) =>
  t.charCodeAt(0) === 32 || t.charCodeAt(t.length - 1) === 32 || t.includes('  ') || /[^\S ]/.test(t);

const LINK = /\bhttps?:\/\/[^\s"'<>]+/gi;
const DATE = /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g;
// Masked secrets (****0099, sk_live_****).
const MASKED = /\*{3,}[A-Za-z0-9]*/g;
const DURATION = /\b\d+(?= ?(?:ms|milliseconds?|s|secs?|seconds?|minutes?|mins?|hours?)\b)/g;
const DECIMAL = /\b\d+\.\d+\b/g;
const LONG_NUMBER = /\b\d{5,}\b/g;
// Positions in a batch (operations[581]).
const POSITION = /\[\d+\]/g;
const SIGNED_IN_PARENS = /\(-<n>\)/g;

export interface TemplateRule {
  readonly name: string;
  /** The text with this rule's placeholders in; the same string when it has nothing to replace. */
  readonly apply: (text: string) => string;
}

/** In order: each rule applies to what the ones before it left. */
export const TEMPLATE_RULES: readonly TemplateRule[] = [
  { name: 'urls', apply: (t) => (t.includes('://') ? t.replace(LINK, '<url>') : t) },
  // Any token with an @ in it: the e-mails destinations reject are often malformed (a@b,com).
  { name: 'e-mails', apply: (t) => (t.includes('@') ? replaceEmails(t, '<email>') : t) },
  { name: 'uuids and dates', apply: (t) => (t.includes('-') ? replaceUuids(t, '<uuid>').replace(DATE, '<date>') : t) },
  // Quoted values are data, except names: keys, codes and what follows a naming word stay, so
  // `Field 'Lead_Score__c' not found` and a JSON error's shape ({"msg":"<value>",...}) still read.
  { name: "'quoted'", apply: (t) => (t.includes("'") ? replaceQuoted(t, "'", "'<value>'", keepQuoted) : t) },
  { name: '"quoted"', apply: (t) => (t.includes('"') ? replaceQuoted(t, '"', '"<value>"', keepQuoted) : t) },
  { name: 'masked', apply: (t) => (t.includes('***') ? t.replace(MASKED, '<masked>') : t) },
  // Record ids mix letters and digits (Salesforce 0035e00000AbCdEfG, hex, base62), or are long
  // tokens in mixed case (trace ids); UPPER_CASE codes and words stay.
  { name: 'ids', apply: (t) => replaceIds(t, '<id>') },
  {
    name: 'numbers',
    // Placeholders hold no digits: once none is left, no number rule can apply.
    apply: (t) => {
      if (!hasDigit(t)) return t;
      const out = t.replace(DURATION, '<n>').replace(DECIMAL, '<n>').replace(LONG_NUMBER, '<n>');
      return out.includes('[') ? out.replace(POSITION, '[<n>]') : out;
    },
  },
  {
    // Signed or hyphen-joined ids (-123-456).
    name: 'joined numbers',
    apply: (t) => {
      if (!t.includes('<n>')) return t;
      const out = replaceJoinedNumbers(t, '<n>');
      return out.includes('(-<n>)') ? out.replace(SIGNED_IN_PARENS, '(<n>)') : out;
    },
  },
  { name: 'spaces', apply: (t) => (hasOddSpace(t) ? t.replace(/\s+/g, ' ').trim() : t) },
];

/** Every rule on the whole text, however long: for the linearity test; the panels use failureTemplate. */
export function templateWhole(text: string): string {
  let out = text;
  for (const rule of TEMPLATE_RULES) out = rule.apply(out);
  return out;
}

/** Where a text longer than TEMPLATED_LENGTH is cut: at a space near the limit, else at it (not inside a surrogate pair). */
export function templatedEnd(text: string): number {
  if (text.length <= TEMPLATED_LENGTH) return text.length;
  for (let i = TEMPLATED_LENGTH; i > TEMPLATED_LENGTH - CUT_BACKOFF; i--)
    if (isRegExpSpace(text.charCodeAt(i))) return i;
  const c = text.charCodeAt(TEMPLATED_LENGTH - 1);
  return c >= 0xd800 && c <= 0xdbff ? TEMPLATED_LENGTH - 1 : TEMPLATED_LENGTH;
}

/** The template of a failure text: of its first TEMPLATED_LENGTH characters, marked as cut when it is longer. */
export function failureTemplate(text: string): string {
  if (text.length <= TEMPLATED_LENGTH) return templateWhole(text);
  return templateWhole(text.slice(0, templatedEnd(text))) + CUT_MARKER;
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
  /** The most frequent raw text, whole (however long), to show as an example. */
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
