import * as vscode from 'vscode';
import {
  DEFAULT_CATEGORIES,
  EMPTY_CATEGORIES_FILE,
  compileCategories,
  mergeCategories,
  parseSettingsCategories,
  parseWorkspaceCategories,
} from '../analysis/errorCategories';
import type { CategoryDef, CategoryProblem } from '../shared/analysisData';
import type { Categories } from '../loaders/breakdownLoader';
import { SETTINGS } from '../shared/ids';
import { readSetting } from '../services/settingsReaders';

/** The workspace file users keep their team's categories in (committed with the project). */
export const CATEGORIES_FILE = '.vscode/sync-logs-categories.json';

/**
 * Error categories from three places, in order: the workspace file, the `syncLogs.errorCategories`
 * setting, then the defaults (unless `syncLogs.includeDefaultErrorCategories` is off). Read on
 * every breakdown so an edit shows on the next Refresh; problems go to the panel and the log.
 */
export class CategoryConfig {
  constructor(private readonly log: vscode.LogOutputChannel) {}

  async load(): Promise<Categories> {
    const settings = parseSettingsCategories(readSetting('errorCategories'));
    const workspace = await this.readWorkspaceFile();
    const defs: CategoryDef[] = mergeCategories(
      workspace.categories,
      settings.categories,
      DEFAULT_CATEGORIES,
      readSetting('includeDefaultErrorCategories'),
    );
    const { compiled, problems, warnings } = compileCategories(defs);
    const all: CategoryProblem[] = [...workspace.problems, ...settings.problems, ...problems];
    for (const p of all) this.log.warn(`Error category skipped: ${p.message}`);
    for (const w of warnings) this.log.warn(`Error category may be slow: ${w.message}`);
    return { compiled, problems: all, warnings };
  }

  /** Opens the workspace file (creating it empty, with its help in comments) or, without a workspace, the setting. */
  async edit(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      await vscode.commands.executeCommand('workbench.action.openSettingsJson', {
        revealSetting: { key: SETTINGS.errorCategories, edit: true },
      });
      return;
    }
    const uri = vscode.Uri.joinPath(folder.uri, CATEGORIES_FILE);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(EMPTY_CATEGORIES_FILE));
    }
    await vscode.window.showTextDocument(uri, { preview: false });
  }

  private async readWorkspaceFile(): Promise<{ categories: CategoryDef[]; problems: CategoryProblem[] }> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return { categories: [], problems: [] };
    let text: string;
    try {
      text = new TextDecoder().decode(
        await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, CATEGORIES_FILE)),
      );
    } catch {
      return { categories: [], problems: [] };
    }
    // A cloned repository's patterns are not run until the user trusts it (Restricted Mode).
    if (!vscode.workspace.isTrusted) {
      const message = `${CATEGORIES_FILE} is not read in Restricted Mode: trust this workspace to use its error categories.`;
      return { categories: [], problems: [{ name: CATEGORIES_FILE, pattern: '', origin: CATEGORIES_FILE, message }] };
    }
    return parseWorkspaceCategories(text, CATEGORIES_FILE);
  }
}
