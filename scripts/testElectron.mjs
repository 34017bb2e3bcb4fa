// npm run test:electron: the integration suite (out/test/integration/index.js) in desktop
// VS Code through @vscode/test-electron, for machines that can download VS Code. Where the
// download servers are out of reach (these machines and CI), it says so and exits 1; the same
// suite runs in code-server with `npm test -- --only integration`.
//
//   npm run test:electron [-- --no-build]
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { makeRunDir } from './lib/codeServer.mjs';
import { onCleanup, removeQuietly, repoRoot, run } from './lib/system.mjs';

const VSCODE_VERSION = process.env.VSCODE_TEST_VERSION || '1.100.3';
const DOWNLOAD_TIMEOUT_MS = 3 * 60_000;

async function main() {
  let testElectron;
  try {
    testElectron = await import('@vscode/test-electron');
  } catch {
    console.error('[test:electron] @vscode/test-electron is not installed: npm install (it is a devDependency).');
    return 1;
  }

  if (!process.argv.includes('--no-build')) {
    console.log('[test:electron] building (node esbuild.mjs --tests)...');
    const build = await run(process.execPath, ['esbuild.mjs', '--tests']);
    if (build.code !== 0) {
      console.error('[test:electron] the build failed');
      return 1;
    }
  }

  const cachePath = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'sync-logs-explorer', 'vscode-test');
  mkdirSync(cachePath, { recursive: true });
  console.log(`[test:electron] downloading VS Code ${VSCODE_VERSION} into ${cachePath} (once)...`);
  let vscodeExecutablePath;
  try {
    let timer;
    vscodeExecutablePath = await Promise.race([
      testElectron.downloadAndUnzipVSCode({ version: VSCODE_VERSION, cachePath }),
      new Promise((_, rej) => {
        timer = setTimeout(
          () => rej(new Error(`no answer within ${DOWNLOAD_TIMEOUT_MS / 1000} s`)),
          DOWNLOAD_TIMEOUT_MS,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  } catch (err) {
    console.error(
      `\n[test:electron] Could not download VS Code ${VSCODE_VERSION}: ${err?.message ?? err}\n` +
        'This machine cannot reach the VS Code download servers (only package registries are reachable here).\n' +
        'The same integration suite runs inside code-server (VS Code 1.100.3 from npm) instead:\n' +
        '    npm test -- --only integration\n',
    );
    return 1;
  }

  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.error(
      '[test:electron] No display: desktop VS Code needs one. Run it under Xvfb: xvfb-run -a npm run test:electron',
    );
    return 1;
  }

  const runDir = makeRunDir('electron');
  onCleanup(() => removeQuietly(runDir));
  const workspace = join(runDir, 'workspace');
  const fixture = join(repoRoot, 'test', 'fixtures', 'workspace');
  if (existsSync(fixture)) cpSync(fixture, workspace, { recursive: true });
  else mkdirSync(workspace, { recursive: true });
  try {
    const code = await testElectron.runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(repoRoot, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir',
        join(runDir, 'user-data'),
        '--extensions-dir',
        join(runDir, 'extensions'),
      ],
    });
    return code;
  } catch (err) {
    console.error(`[test:electron] the integration suite failed: ${err?.message ?? err}`);
    return 1;
  }
}

process.exit(await main());
