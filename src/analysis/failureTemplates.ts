/**
 * Collapses the variable parts of a failure text (e-mails, ids, long numbers, quoted values,
 * dates, URLs) into placeholders, so one cause reads as one line. Short numbers stay: HTTP
 * statuses and vendor codes (429, 606, 1003) are what categories match on.
 */
import { replaceIds, replaceQuoted, replaceUuids } from './failureTextScan';

// A breakdown templates tens of thousands of texts while the user waits, so each rule runs only
// where a cheap test says it can apply (no @, no quote, no digit), and the costliest patterns
// are plain scans (failureTextScan.ts).
const hasDigit = (t: string) => /\d/.test(t);
/** Tabs, newlines, doubled, leading or trailing spaces: most texts are single-spaced, and rebuilding them costs. */
const hasOddSpace = (t: string) => t.charCodeAt(0) === 32 || t.charCodeAt(t.length - 1) === 32 || t.includes('  ') || /[^\S ]/.test(t);

const LINK = /\bhttps?:\/\/[^\s"'<>]+/gi;
// Any token with an @ in it: the e-mails destinations reject are often malformed (a@b,com).
const EMAIL = /[^\s'"<>()[\]{},;:]*[A-Za-z0-9]@[^\s'"<>()[\]{};:]+/g;
const DATE = /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g;
// Masked secrets (****0099, sk_live_****).
const MASKED = /\*{3,}[A-Za-z0-9]*/g;
const DURATION = /\b\d+(?= ?(?:ms|milliseconds?|s|secs?|seconds?|minutes?|mins?|hours?)\b)/g;
const DECIMAL = /\b\d+\.\d+\b/g;
const LONG_NUMBER = /\b\d{5,}\b/g;
// Positions in a batch (operations[581]) and signed or hyphen-joined ids (-123-456).
const POSITION = /\[\d+\]/g;
const JOINED_NUMBERS = /-*<n>(?:-+<n>)+/g;
const SIGNED_IN_PARENS = /\(-<n>\)/g;

/** Each rule applies to what the ones before it left. */
export function failureTemplate(text: string): string {
  let out = text;
  if (out.includes('://')) out = out.replace(LINK, '<url>');
  if (out.includes('@')) out = out.replace(EMAIL, '<email>');
  if (out.includes('-')) out = replaceUuids(out, '<uuid>').replace(DATE, '<date>');
  if (out.includes("'")) out = replaceQuoted(out, "'", "'<value>'");
  if (out.includes('"')) out = replaceQuoted(out, '"', '"<value>"');
  if (out.includes('***')) out = out.replace(MASKED, '<masked>');
  // Record ids mix letters and digits (Salesforce 0035e00000AbCdEfG, hex, base62), or are long
  // tokens in mixed case (trace ids); UPPER_CASE codes and words stay.
  out = replaceIds(out, '<id>');
  // Placeholders hold no digits: once none is left, no number rule can apply.
  if (hasDigit(out)) {
    out = out.replace(DURATION, '<n>').replace(DECIMAL, '<n>').replace(LONG_NUMBER, '<n>');
    if (out.includes('[')) out = out.replace(POSITION, '[<n>]');
  }
  if (out.includes('<n>')) {
    out = out.replace(JOINED_NUMBERS, '<n>');
    if (out.includes('(-<n>)')) out = out.replace(SIGNED_IN_PARENS, '(<n>)');
  }
  return hasOddSpace(out) ? out.replace(/\s+/g, ' ').trim() : out;
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
