import * as vscode from 'vscode';
import {
  DEBUGGER_NOTE,
  VendorLinkError,
  isVendorTarget,
  slugProblem,
  vendorUrl,
  type VendorTarget,
} from '../shared/vendorLinks';
import { SETTINGS } from '../shared/ids';
import { hightouchLinkSettings } from '../services/settingsReaders';

/**
 * Opens a Hightouch page in the browser, from the host only: the target's ids are checked again
 * here (a webview's message is not trusted) and the URL is built from them and the settings.
 * Without a usable workspace slug it offers, in one click, the setting that fixes it.
 */
export async function openVendorLink(target: unknown, log?: { warn(message: string): void }): Promise<boolean> {
  if (!isVendorTarget(target)) {
    log?.warn('Ignored a Hightouch link whose ids are not plain ids.');
    return false;
  }
  const { workspace, baseUrl } = hightouchLinkSettings();
  const problem = slugProblem(workspace);
  if (problem) {
    const open = 'Open Setting';
    const answer = await vscode.window.showInformationMessage(
      `Sync Logs: ${problem} Set it to your workspace's slug to open Hightouch from here.`,
      open,
    );
    if (answer === open)
      await vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS.hightouchWorkspace);
    return false;
  }
  let url: string;
  try {
    url = vendorUrl(target, workspace, baseUrl);
  } catch (err) {
    if (!(err instanceof VendorLinkError)) throw err;
    void vscode.window.showErrorMessage(`Sync Logs: ${err.message}`);
    return false;
  }
  if (target.kind === 'debugger') vscode.window.setStatusBarMessage(DEBUGGER_NOTE, 8000);
  return vscode.env.openExternal(vscode.Uri.parse(url, true));
}

/** Whether the webviews show Hightouch links (a workspace slug is set). */
export function vendorLinksEnabled(): boolean {
  return slugProblem(hightouchLinkSettings().workspace) === undefined;
}

export type { VendorTarget };
