// The page a webview panel runs in, outside VS Code: the same shell and CSP as
// renderWebviewHtml, VS Code's theme variables (light, dark, high contrast), a server for
// dist/webview on 127.0.0.1 and a fake acquireVsCodeApi. Shared by preview.mjs and grid.mjs.
// Also the page notebook outputs are drawn in (/notebook/<theme>, notebookOutput.mjs).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { repoRoot } from '../../../scripts/lib/system.mjs';
import { launchBrowser } from '../../../scripts/lib/browser.mjs';

const distDir = join(repoRoot, 'dist', 'webview');

/** The themes every panel is checked and photographed in. */
export const themeNames = ['light', 'dark'];

export const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-font-weight': 'normal',
      '--vscode-editor-font-family': '"DejaVu Sans Mono", monospace',
      '--vscode-editor-font-size': '12px',
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-sideBar-background': '#181818',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-widget-border': '#313131',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-textLink-foreground': '#4daafc',
      '--vscode-textLink-activeForeground': '#4daafc',
      '--vscode-textCodeBlock-background': '#2b2b2b',
      '--vscode-textBlockQuote-background': '#2b2b2b',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-button-secondaryHoverBackground': '#3c3c3c',
      '--vscode-dropdown-background': '#313131',
      '--vscode-dropdown-foreground': '#cccccc',
      '--vscode-dropdown-border': '#3c3c3c',
      '--vscode-input-background': '#313131',
      '--vscode-input-foreground': '#cccccc',
      '--vscode-input-border': '#3c3c3c',
      '--vscode-input-placeholderForeground': '#989898',
      '--vscode-list-hoverBackground': '#2a2d2e',
      '--vscode-list-inactiveSelectionBackground': '#37373d',
      '--vscode-inputValidation-errorBackground': '#5a1d1d',
      '--vscode-inputValidation-errorBorder': '#be1100',
      '--vscode-inputValidation-warningBackground': '#352a05',
      '--vscode-notificationsInfoIcon-foreground': '#3794ff',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-progressBar-background': '#0078d4',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-font-weight': 'normal',
      '--vscode-editor-font-family': '"DejaVu Sans Mono", monospace',
      '--vscode-editor-font-size': '12px',
      '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-editor-background': '#ffffff',
      '--vscode-sideBar-background': '#f8f8f8',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-widget-border': '#e5e5e5',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-textLink-foreground': '#005fb8',
      '--vscode-textLink-activeForeground': '#005fb8',
      '--vscode-textCodeBlock-background': '#f2f2f2',
      '--vscode-textBlockQuote-background': '#f8f8f8',
      '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-foreground': '#3b3b3b',
      '--vscode-dropdown-border': '#cecece',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-foreground': '#3b3b3b',
      '--vscode-input-border': '#cecece',
      '--vscode-input-placeholderForeground': '#767676',
      '--vscode-list-hoverBackground': '#f2f2f2',
      '--vscode-list-inactiveSelectionBackground': '#e4e6f1',
      '--vscode-inputValidation-errorBackground': '#f2dede',
      '--vscode-inputValidation-errorBorder': '#be1100',
      '--vscode-inputValidation-warningBackground': '#f6f5d2',
      '--vscode-notificationsInfoIcon-foreground': '#1a85ff',
      '--vscode-charts-red': '#e51400',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-purple': '#652d90',
      '--vscode-progressBar-background': '#005fb8',
    },
  },
};

// High contrast (dark): VS Code's black background and its chart colours; only used mid-check.
THEMES.hc = {
  bodyClass: 'vscode-high-contrast',
  vars: {
    ...THEMES.dark.vars,
    '--vscode-foreground': '#ffffff',
    '--vscode-descriptionForeground': '#ffffff',
    '--vscode-editor-background': '#000000',
    '--vscode-panel-border': '#6fc3df',
    '--vscode-contrastBorder': '#6fc3df',
    '--vscode-charts-red': '#f48771',
    '--vscode-charts-blue': '#75beff',
    '--vscode-charts-yellow': '#cca700',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-purple': '#b180d7',
  },
};

export const themeCss = (theme) =>
  `:root {\n${Object.entries(THEMES[theme].vars)
    .map(([k, v]) => `  ${k}: ${v};`)
    .join('\n')}\n}`;

/** The same shell and CSP as renderWebviewHtml, with the theme VS Code would inject (as a nonce'd style). */
function html(panel, theme, origin) {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${origin} 'nonce-${nonce}'`,
    `font-src ${origin}`,
    `img-src ${origin} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${nonce}">
<style nonce="${nonce}" id="_defaultStyles">${themeCss(theme)}</style>
<link rel="stylesheet" nonce="${nonce}" href="${origin}/dist/${panel}.css">
<title>${panel}</title>
</head>
<body class="${THEMES[theme].bodyClass}">
<div id="app"></div>
<script nonce="${nonce}" src="${origin}/dist/${panel}.js"></script>
</body>
</html>`;
}

/**
 * A notebook's output webview, as VS Code builds it with notebook.experimental.enableCsp (its
 * style-src allows inline styles, which renderers inject; scripts here only from the server and
 * one nonce'd module), with the theme and a container for outputs. The renderer bundle is
 * imported and activated by the test (notebookOutput.mjs), which plays VS Code's part.
 */
function notebookHtml(theme, origin) {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src ${origin} 'nonce-${nonce}'`,
    `style-src ${origin} 'unsafe-inline'`,
    `font-src ${origin}`,
    `img-src ${origin} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<style nonce="${nonce}">${themeCss(theme)}
body { margin: 0; padding: 8px 16px; background: var(--vscode-editor-background); color: var(--vscode-foreground); }
.output { margin: 0 0 24px; padding: 4px 8px; border-left: 2px solid var(--vscode-panel-border); }</style>
<title>notebook outputs</title>
</head>
<body class="${THEMES[theme].bodyClass}">
<div id="container"></div>
<script nonce="${nonce}">window.__rendererUrl = ${JSON.stringify(`${origin}/dist/notebookRenderer.js`)};</script>
</body>
</html>`;
}

export function startPanelServer() {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const notebook = /^\/notebook\/(\w+)$/.exec(url.pathname);
    if (notebook) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(notebookHtml(notebook[1], `http://127.0.0.1:${server.address().port}`));
      return;
    }
    const page = /^\/panel\/(\w+)\/(\w+)$/.exec(url.pathname);
    if (page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html(page[1], page[2], `http://127.0.0.1:${server.address().port}`));
      return;
    }
    const file = /^\/dist\/([\w.-]+\.(js|css|map))$/.exec(url.pathname);
    if (file && existsSync(join(distDir, file[1]))) {
      const type = file[2] === 'js' ? 'text/javascript' : file[2] === 'css' ? 'text/css' : 'application/json';
      res.writeHead(200, { 'content-type': type });
      res.end(readFileSync(join(distDir, file[1])));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Runs before any page script: a fake VS Code API and a recorder of CSP violations. */
export function fakeVsCode() {
  window.__posted = [];
  window.__state = undefined;
  window.__csp = [];
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => window.__state,
      setState: (s) => (window.__state = JSON.parse(JSON.stringify(s))),
    };
  };
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
  );
}

/**
 * A preview run: the panel server and a browser with a fresh profile, and `record(name, fn)`,
 * which runs one check and prints `ok - name` or `not ok - name` with the start of its stack.
 * `body` gets them; the browser, server and profile go when it ends, and the closing line
 * `<word>: N passed, N failed` (what scripts/test.mjs counts) is printed and sets the exit code.
 */
export async function previewRun(word, viewport, body) {
  const profile = join(tmpdir(), `synclogs-${word}-${process.pid}`);
  rmSync(profile, { recursive: true, force: true });
  mkdirSync(profile, { recursive: true });
  const server = await startPanelServer();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchBrowser(profile, viewport);
  let passed = 0;
  let failed = 0;
  const record = async (name, fn) => {
    try {
      await fn();
      passed++;
      console.log(`ok - ${name}`);
    } catch (err) {
      failed++;
      console.log(
        `not ok - ${name}\n  ${String(err?.stack ?? err)
          .split('\n')
          .slice(0, 6)
          .join('\n  ')}`,
      );
    }
  };
  let counted = true;
  try {
    counted = (await body({ context: browser.context, origin, record })) !== false;
  } finally {
    await browser.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  if (!counted) return;
  console.log(`${word}: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

/** Polls `fn` until it returns something truthy (that value), or fails after `ms` naming `what`. */
export async function until(fn, what, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
