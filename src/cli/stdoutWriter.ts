/**
 * Writing an export to stdout with back-pressure: each write resolves once the stream can take
 * more, so a slow reader holds the producer back instead of the whole output piling up in memory.
 */

/** The reader of stdout went away (EPIPE: `synclogs query ... | head`); nothing more can be written. */
export class OutputClosedError extends Error {
  constructor() {
    super('The output was closed by its reader.');
    this.name = 'OutputClosedError';
  }
}

/** The part of a Writable (process.stdout) this needs. */
export interface WritableLike {
  write(chunk: string | Uint8Array): boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  once(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'error', listener: (err: Error) => void): unknown;
}

const closedByReader = (err: Error) => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ECONNRESET';
};

/**
 * A write function for `stream` (text, or bytes for a binary export): resolves at once while the stream buffers below its high-water
 * mark, otherwise on 'drain'. Rejects with OutputClosedError once the reader is gone, or with the
 * stream's error (a full disk) for any other failure; every later write rejects the same way.
 */
export function streamWriter(stream: WritableLike): (chunk: string | Uint8Array) => Promise<void> {
  let failure: Error | undefined;
  const fail = (err: Error) => (failure ??= closedByReader(err) ? new OutputClosedError() : err);
  // Without a listener, an EPIPE would be thrown as an uncaught exception.
  stream.on('error', fail);
  return (chunk) => {
    if (failure) return Promise.reject(failure);
    return new Promise<void>((resolve, reject) => {
      if (stream.write(chunk)) {
        resolve();
        return;
      }
      const settle = () => {
        stream.off('drain', onDrain);
        stream.off('close', onClose);
        stream.off('error', onError);
      };
      const onDrain = () => {
        settle();
        if (failure) reject(failure);
        else resolve();
      };
      const onError = (err: Error) => {
        settle();
        reject(fail(err));
      };
      const onClose = () => {
        settle();
        reject(failure ?? new OutputClosedError());
      };
      stream.once('drain', onDrain);
      stream.once('close', onClose);
      stream.once('error', onError);
    });
  };
}
