import type { PickItem, Prompter } from '../../src/connections/prompter';

/**
 * One expected question and its answer. `expect` must match the question's text (title, prompt
 * or placeholder); for picks, `answer` is the label of the item to choose.
 */
export interface ScriptStep {
  expect: RegExp;
  answer: string | undefined;
}

export interface ScriptedPrompter extends Prompter {
  /** Every question asked, in order, as text; and every validation message a typed answer got. */
  readonly asked: string[];
  readonly rejected: string[];
  /** Steps not consumed yet. */
  readonly remaining: ScriptStep[];
}

/**
 * A Prompter that answers from a script, as a person would type: input answers go through the
 * form's own validation (a rejected answer fails the script), picks choose by label.
 */
export function scriptedPrompter(steps: ScriptStep[], files: Record<string, string> = {}): ScriptedPrompter {
  const remaining = [...steps];
  const asked: string[] = [];
  const rejected: string[] = [];
  const next = (question: string): string | undefined => {
    asked.push(question);
    const step = remaining.shift();
    if (!step) throw new Error(`The script has no answer for: ${question}`);
    if (!step.expect.test(question)) throw new Error(`Expected a question matching ${step.expect}, got: ${question}`);
    return step.answer;
  };
  const choose = <T>(items: PickItem<T>[], label: string | undefined, question: string): T | undefined => {
    if (label === undefined) return undefined;
    const item = items.find((i) => i.label === label);
    if (!item) throw new Error(`No item "${label}" in ${question}: ${items.map((i) => i.label).join(', ')}`);
    return item.value;
  };
  return {
    asked,
    rejected,
    remaining,
    async pick({ title, placeholder, items }) {
      const question = `pick: ${title} | ${placeholder ?? ''}`;
      return choose(items, next(question), question);
    },
    async input({ title, prompt, validate }) {
      const answer = next(`input: ${title} | ${prompt}`);
      if (answer === undefined) return undefined;
      const problem = validate?.(answer);
      if (problem) {
        rejected.push(problem);
        throw new Error(`The form rejected "${answer}" for ${prompt}: ${problem}`);
      }
      return answer;
    },
    async readFile({ title }) {
      const name = next(`file: ${title}`);
      return name === undefined ? undefined : files[name];
    },
    async choose({ message, detail }) {
      return next(`choose: ${message} | ${detail ?? ''}`);
    },
  };
}
