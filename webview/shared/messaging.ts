/**
 * The webview end of a panel's protocol: the VS Code API acquired once, typed post and receive,
 * saved state, and the `ready` handshake the host waits for before it sends anything.
 */

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState<T>(state: T): T;
}

declare function acquireVsCodeApi(): VsCodeApi;

// acquireVsCodeApi may be called once per page load only.
const api = acquireVsCodeApi();

/** Sends a message of the panel's protocol to the host. */
export function post<T extends { type: string }>(message: T): void {
  api.postMessage(message);
}

/**
 * Listens for host messages that pass the protocol's guard; others are logged and dropped
 * (the page receives messages from more than the host, e.g. VS Code's own).
 */
export function onMessage<T>(isMessage: (m: unknown) => m is T, handler: (message: T) => void): () => void {
  const listener = (event: MessageEvent<unknown>) => {
    if (isMessage(event.data)) handler(event.data);
    else console.warn('Sync Logs: ignored a message outside the protocol', event.data);
  };
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}

/** The state saved for this panel (kept while hidden and across a window reload). */
export function getState<S>(isState: (s: unknown) => s is S): S | undefined {
  const s = api.getState();
  return isState(s) ? s : undefined;
}

export function setState<S>(state: S): void {
  api.setState(state);
}

// Say `ready` once the bundle has run, so the panel's listeners are in place first.
queueMicrotask(() => api.postMessage({ type: 'ready' }));
