/**
 * A failure text's class: its template and its category. The breakdown, its chart and its
 * drill-downs all need them for the same texts, so they are computed once per load (possibly in
 * a worker, see loaders/textClassifier.ts) and looked up afterwards.
 */
import { UNEXPECTED } from '../shared/analysisData';
import { categorize, type CompiledCategory } from './errorCategories';
import { failureTemplate } from './failureTemplates';

/**
 * Shown for failed operations that carry no failure_reason (NULL or blank). They go to UNEXPECTED without
 * matching: a failure the destination did not explain is exactly what the bucket is for, and a
 * user pattern must not match this made-up text.
 */
export const NO_REASON = '(no failure reason)';

export interface TextClass {
  template: string;
  category: string;
}

/** Classes of texts already computed, by exact text. */
export type TextClasses = ReadonlyMap<string, TextClass>;

export const isBlank = (text: string | null): text is null => text === null || !/\S/.test(text);

const NO_REASON_CLASS: TextClass = { template: NO_REASON, category: UNEXPECTED };

/** Categories match the raw text; the template is only for display and grouping. */
export function classifyText(text: string | null, compiled: readonly CompiledCategory[]): TextClass {
  if (isBlank(text)) return NO_REASON_CLASS;
  return { template: failureTemplate(text), category: categorize(text, compiled) };
}

export function classifyAll(texts: readonly string[], compiled: readonly CompiledCategory[]): TextClass[] {
  return texts.map((t) => classifyText(t, compiled));
}

/** A lookup that uses `known` and computes (once) what it lacks: chart rows repeat texts across runs. */
export function classLookup(
  compiled: readonly CompiledCategory[],
  known?: TextClasses,
): (text: string | null) => TextClass {
  const computed = new Map<string, TextClass>();
  return (text) => {
    if (isBlank(text)) return NO_REASON_CLASS;
    let c = known?.get(text) ?? computed.get(text);
    if (c === undefined) {
      c = classifyText(text, compiled);
      computed.set(text, c);
    }
    return c;
  };
}

/** Like classLookup, for callers that need only the category (no templating of unknown texts). */
export function categoryLookup(
  compiled: readonly CompiledCategory[],
  known?: TextClasses,
): (text: string | null) => string {
  const computed = new Map<string, string>();
  return (text) => {
    if (isBlank(text)) return UNEXPECTED;
    let name = known?.get(text)?.category ?? computed.get(text);
    if (name === undefined) {
      name = categorize(text, compiled);
      computed.set(text, name);
    }
    return name;
  };
}
