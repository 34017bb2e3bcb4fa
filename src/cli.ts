// The `synclogs` terminal front end: the same warehouse adapters and demo loader as the extension.
import { version } from '../package.json';
import { runCli, EXIT_INTERRUPTED } from './cli/commands';
import { streamWriter } from './cli/stdoutWriter';

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => (text += chunk));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}

function onInterrupt(handler: () => void): () => void {
  let interrupted = false;
  const listener = () => {
    // A second Ctrl-C does not wait for the cancel to come back.
    if (interrupted) process.exit(EXIT_INTERRUPTED);
    interrupted = true;
    handler();
  };
  process.on('SIGINT', listener);
  return () => process.off('SIGINT', listener);
}

// Diagnostics nobody reads any more (`2>&1 | head`) are dropped rather than ending the process.
process.stderr.on('error', () => undefined);

runCli(process.argv.slice(2), {
  stdout: streamWriter(process.stdout),
  stderr: (text) => void process.stderr.write(text),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  env: process.env,
  readStdin,
  onInterrupt,
  version,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`synclogs: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
