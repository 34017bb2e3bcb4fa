import type { KindSpec } from '../kindSpec';

/** The embedded demo: built in, never added by the user, so no fields, auth or required settings. */
export const demoSpec: KindSpec<'demo'> = {
  kind: 'demo',
  label: 'Demo',
  authMethods: [],
  fields: [],
  required: [],
  qualifiesTables: false,
  bundle: 'extension',
  describe: () => 'embedded demo sync log',
  describeTarget: () => 'the embedded demo',
  identity: () => 'demo',
  async open(_settings, _secrets, ctx) {
    // In a worker thread: PGlite would otherwise block the extension host while it works.
    const { openDemoInWorker } = await import('./demoWorkerClient');
    return openDemoInWorker(ctx.demoStorageDir, {
      onProgress: ctx.onDemoProgress,
      log: ctx.log,
      statementTimeoutMs: ctx.statementTimeoutMs,
    });
  },
};
