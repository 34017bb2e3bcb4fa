import * as vscode from 'vscode';
import type { Prompter } from './prompter';

/** Key files are small; anything bigger is not a key file. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/** Answers a form's questions with VS Code's own QuickPick, InputBox, open dialog and messages. */
export const vscodePrompter: Prompter = {
  async pick({ title, placeholder, items, step, totalSteps }) {
    const picked = await showPick(title, placeholder, items, step, totalSteps);
    return picked?.value;
  },

  input({ title, prompt, value, placeholder, password, validate, step, totalSteps }) {
    return new Promise((resolve) => {
      const box = vscode.window.createInputBox();
      Object.assign(box, {
        title,
        prompt,
        value: value ?? '',
        placeholder,
        password: password ?? false,
        step,
        totalSteps,
        ignoreFocusOut: true,
      });
      let done = false;
      const finish = (answer: string | undefined) => {
        if (done) return;
        done = true;
        resolve(answer);
        box.dispose();
      };
      box.onDidChangeValue((v) => (box.validationMessage = validate?.(v)));
      box.onDidAccept(() => {
        const problem = validate?.(box.value);
        if (problem) box.validationMessage = problem;
        else finish(box.value);
      });
      box.onDidHide(() => finish(undefined));
      box.show();
    });
  },

  async readFile({ title, filters }) {
    const [uri] =
      (await vscode.window.showOpenDialog({ title, canSelectMany: false, openLabel: 'Use this key', filters })) ?? [];
    if (!uri) return undefined;
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_KEY_FILE_BYTES) {
      void vscode.window.showErrorMessage(
        `${uri.fsPath} is ${Math.round(stat.size / 1024)} KB: too big for a key file. Choose the key file itself.`,
      );
      return undefined;
    }
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  },

  async choose({ message, detail, buttons, severity }) {
    const show =
      severity === 'error'
        ? vscode.window.showErrorMessage
        : severity === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    return show(message, { modal: true, detail }, ...buttons);
  },
};

function showPick<T>(
  title: string,
  placeholder: string | undefined,
  items: { label: string; description?: string; detail?: string; value: T }[],
  step?: number,
  totalSteps?: number,
) {
  return new Promise<{ value: T } | undefined>((resolve) => {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { value: T }>();
    Object.assign(qp, { title, placeholder, items, step, totalSteps, ignoreFocusOut: true });
    let done = false;
    const finish = (answer: { value: T } | undefined) => {
      if (done) return;
      done = true;
      resolve(answer);
      qp.dispose();
    };
    qp.onDidAccept(() => finish(qp.selectedItems[0]));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}
