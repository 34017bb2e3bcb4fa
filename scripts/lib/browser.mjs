// Debian's Chromium driven by playwright-core, with a fresh profile per run.
// Playwright never downloads a browser here: it is always given an executable path.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ensureSystem, SystemError, which } from './system.mjs';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', which('chromium'), which('chromium-browser')];
  const found = candidates.find((p) => p && which(p));
  if (!found) throw new SystemError('Chromium not found: apt-get install -y chromium (or set CHROMIUM_PATH)');
  return found;
}

/**
 * Launch Chromium with a fresh profile in `profileDir`.
 * Signals are left to scripts/lib/system.mjs (which kills our process groups first);
 * Playwright still kills the browser when this process exits.
 * @returns {Promise<{ context: import('playwright-core').BrowserContext, page: import('playwright-core').Page, close: () => Promise<void> }>}
 */
export async function launchBrowser(profileDir, { width = 1400, height = 900, log = console.log } = {}) {
  if (!process.env.CHROMIUM_PATH) ensureSystem(['browser'], log);
  const xdg = join(profileDir, 'xdg');
  mkdirSync(join(xdg, 'config'), { recursive: true });
  mkdirSync(join(xdg, 'cache'), { recursive: true });
  const context = await chromium.launchPersistentContext(join(profileDir, 'profile'), {
    executablePath: chromiumPath(),
    headless: true,
    args: FLAGS,
    viewport: { width, height },
    env: { ...process.env, XDG_CONFIG_HOME: join(xdg, 'config'), XDG_CACHE_HOME: join(xdg, 'cache') },
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: 60_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  return {
    context,
    page,
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.race([context.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
    },
  };
}
