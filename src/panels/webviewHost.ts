import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isReadyMessage, type ReadyMessage } from '../shared/webviewProtocol';
import { deliver } from '../shared/webviewDelivery';

/**
 * The host side every webview panel of the extension shares: options, the HTML shell with its
 * strict CSP, the ready handshake with a queue, validation of what the webview posts, and disposal.
 * A panel class owns one WebviewHost and speaks its own protocol through it.
 */

interface Typed {
  type: string;
}

export interface WebviewHostOptions<In extends Typed> {
  viewType: string;
  title: string;
  /** The browser bundle: dist/webview/<bundle>.js (and .css when the bundle imports CSS). */
  bundle: string;
  /** The protocol's guard for webview -> host messages; anything it rejects is logged and dropped. */
  isIncoming(message: unknown): message is In;
  log: vscode.LogOutputChannel;
  /**
   * Messages that rebuild the view from scratch. When given, they are sent on every `ready`
   * (first load, reload after the panel was hidden, restore after a window reload) in place of
   * the queue; without it, the queue is flushed.
   */
  replay?(): readonly Typed[];
  /**
   * What to show instead of a message that could not be posted (postMessage threw or rejected),
   * e.g. an error in place of a result; without it, or when it returns undefined, the failure is
   * only logged.
   */
  onPostFailed?(message: Typed, error: unknown): Typed | undefined;
}

/** Webview options for every panel: scripts on, local files only from the built webview and media. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    enableFindWidget: true,
    retainContextWhenHidden: false,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The HTML shell: a fresh nonce each render, the panel's bundle and CSS, nothing else. */
export function renderWebviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  bundle: string,
  title: string,
): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (ext: string) => vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${bundle}.${ext}`);
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  // FAST (the webview UI toolkit) reads the nonce from this meta tag for the one <style> it adds.
  const css = asset('css');
  const cssLink =
    css.scheme !== 'file' || existsSync(css.fsPath)
      ? `<link rel="stylesheet" nonce="${nonce}" href="${webview.asWebviewUri(css).toString()}">`
      : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${nonce}">
${cssLink}
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${webview.asWebviewUri(asset('js')).toString()}"></script>
</body>
</html>`;
}

/** Restores panels of one view type after a window reload, with the state their webview saved. */
export function registerPanelSerializer(
  viewType: string,
  restore: (panel: vscode.WebviewPanel, state: unknown) => void | Thenable<void>,
): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(viewType, {
    deserializeWebviewPanel: async (panel, state: unknown) => restore(panel, state),
  });
}

/** Opens a new panel with the shared webview options (they can only be set at creation). */
export function createWebviewPanel(
  extensionUri: vscode.Uri,
  viewType: string,
  title: string,
  show: { viewColumn: vscode.ViewColumn; preserveFocus?: boolean },
): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, title, show, webviewOptions(extensionUri));
}

export class WebviewHost<Out extends Typed, In extends Typed> implements vscode.Disposable {
  private ready = false;
  private queue: Out[] = [];
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly messageEmitter = new vscode.EventEmitter<Exclude<In, ReadyMessage>>();
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Messages from the webview that passed the protocol's guard (never `ready`). */
  readonly onDidReceiveMessage = this.messageEmitter.event;
  readonly onDidDispose = this.disposeEmitter.event;

  /** Takes over a panel: a new one from `createWebviewPanel`, or one VS Code hands to a serializer. */
  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly options: WebviewHostOptions<In>,
  ) {
    panel.title = options.title;
    panel.webview.options = webviewOptions(extensionUri);
    this.disposables.push(
      this.messageEmitter,
      this.disposeEmitter,
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      // Without retainContextWhenHidden a hidden webview is torn down; it says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    this.render();
  }

  get visible(): boolean {
    return !this.disposed && this.panel.visible;
  }

  reveal(viewColumn?: vscode.ViewColumn, preserveFocus?: boolean): void {
    if (!this.disposed) this.panel.reveal(viewColumn, preserveFocus);
  }

  /** Sends now if the webview listens, otherwise once it says `ready`. */
  post(message: Out): void {
    if (this.disposed) return;
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    deliver<Out>((m) => this.panel.webview.postMessage(m), message, {
      // Not delivered: the webview went away in between; it will say `ready` again.
      onUndelivered: (m) => {
        if (!this.disposed && !this.options.replay) this.queue.push(m);
      },
      replacement: (m, error) =>
        this.disposed ? undefined : (this.options.onPostFailed?.(m, error) as Out | undefined),
      log: (line) => this.options.log.warn(`${this.options.viewType}: ${line}`),
    });
  }

  /** Reloads the webview (a fresh nonce); it will say `ready` again. */
  render(): void {
    this.ready = false;
    this.panel.webview.html = renderWebviewHtml(
      this.panel.webview,
      this.extensionUri,
      this.options.bundle,
      this.options.title,
    );
  }

  private receive(message: unknown): void {
    if (isReadyMessage(message)) {
      this.ready = true;
      const pending = this.options.replay ? (this.options.replay() as Out[]) : this.queue;
      this.queue = [];
      for (const m of pending) this.post(m);
      return;
    }
    if (!this.options.isIncoming(message)) {
      this.options.log.warn(`${this.options.viewType}: ignored a message outside the protocol: ${describe(message)}`);
      return;
    }
    this.messageEmitter.fire(message as Exclude<In, ReadyMessage>);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.queue = [];
    this.disposeEmitter.fire();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
    this.panel.dispose();
  }
}

function describe(message: unknown): string {
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  const text = typeof type === 'string' ? `type "${type}"` : typeof message;
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
