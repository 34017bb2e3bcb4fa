/** One choice of a pick list; `value` is what the flow gets back. */
export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

export interface Step {
  step?: number;
  totalSteps?: number;
}

/**
 * The questions a multi-step form asks. VS Code answers them with QuickPick, InputBox, an open
 * dialog and a modal message; tests answer them from a script. Undefined means the user cancelled.
 */
export interface Prompter {
  pick<T>(options: Step & { title: string; placeholder?: string; items: PickItem<T>[] }): Promise<T | undefined>;
  input(
    options: Step & {
      title: string;
      prompt: string;
      value?: string;
      placeholder?: string;
      password?: boolean;
      /** A message saying what is wrong, or undefined when the value is acceptable. */
      validate?(value: string): string | undefined;
    },
  ): Promise<string | undefined>;
  /** The text of a file the user chooses (a key file). */
  readFile(options: { title: string; filters?: Record<string, string[]> }): Promise<string | undefined>;
  /** A decision after a message; resolves to the chosen button's text. */
  choose(options: {
    message: string;
    detail?: string;
    buttons: string[];
    severity: 'info' | 'warning' | 'error';
  }): Promise<string | undefined>;
}
