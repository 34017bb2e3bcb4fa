/** What every panel's protocol shares: the handshake a webview sends once it listens. */
export interface ReadyMessage {
  type: 'ready';
}

export function isReadyMessage(m: unknown): m is ReadyMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'ready';
}
