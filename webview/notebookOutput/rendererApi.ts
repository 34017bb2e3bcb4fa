/**
 * The parts of VS Code's notebook renderer API (the `vscode-notebook-renderer` types) this
 * renderer uses, written here since that package is not a dependency. VS Code imports the
 * bundle as an ES module and calls its `activate(context)` once per notebook webview.
 */

export interface OutputItem {
  /** The output's id: the same output drawn again reuses it; disposeOutputItem names it. */
  readonly id: string;
  readonly mime: string;
  json(): unknown;
  text(): string;
}

export interface Disposable {
  dispose(): void;
}

export interface RendererContext {
  /** Present when package.json's `requiresMessaging` allows it and the extension host is there. */
  postMessage?(message: unknown): void;
  onDidReceiveMessage?(listener: (message: unknown) => void): Disposable;
}

export interface RendererApi {
  renderOutputItem(item: OutputItem, element: HTMLElement, signal: AbortSignal): void | Promise<void>;
  /** `id` undefined: every output is gone (the notebook closed or was cleared). */
  disposeOutputItem?(id?: string): void;
}

export type ActivationFunction = (context: RendererContext) => RendererApi;
