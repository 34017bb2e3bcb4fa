/**
 * Posting one message to a webview, so that a failure is seen, not only logged. Pure (the host
 * passes VS Code's `webview.postMessage`), so the rules are tested without VS Code.
 *
 * postMessage serializes the message before it leaves the extension host; a message it cannot
 * serialize (a cycle, a value nested deeper than the serializer's stack, a string over V8's
 * limit) throws or rejects, and the panel would otherwise wait for a result that never comes.
 */

export interface DeliveryHandlers<M> {
  /** Posting resolved false: the webview went away in between (it says `ready` again when back). */
  onUndelivered(message: M): void;
  /** A message to post instead (a short error for the panel), or undefined; it is not replaced again. */
  replacement(message: M, error: unknown): M | undefined;
  log(line: string): void;
}

export function deliver<M extends { type: string }>(
  post: (message: M) => PromiseLike<boolean>,
  message: M,
  handlers: DeliveryHandlers<M>,
  mayReplace = true,
): void {
  const failed = (error: unknown) => {
    handlers.log(`Could not post a "${message.type}" message to the webview: ${describeError(error)}`);
    const instead = mayReplace ? handlers.replacement(message, error) : undefined;
    if (instead) deliver(post, instead, handlers, false);
  };
  let sent: PromiseLike<boolean>;
  try {
    sent = post(message);
  } catch (error) {
    failed(error);
    return;
  }
  sent.then((delivered) => {
    if (!delivered) handlers.onUndelivered(message);
  }, failed);
}

export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
