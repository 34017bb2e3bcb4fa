// The ids in src/shared/ids.ts against package.json's contributes, both ways, and the settings'
// defaults (src/services/settingDefaults.ts) against the defaults package.json declares.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  COMMANDS,
  NOTEBOOK_RENDERER,
  SETTINGS,
  VIEW_CONTAINER,
  VIEWS,
  WEBVIEW_TYPES,
  type SettingName,
} from '../../src/shared/ids';
import { SETTING_DEFAULTS } from '../../src/services/settingDefaults';
import { PANEL_VIEW_TYPES } from '../../src/shared/analysisProtocol';
import { RESULTS_VIEW_TYPE } from '../../src/shared/resultsProtocol';

interface Contributes {
  commands: { command: string }[];
  menus: Record<string, { command?: string }[]>;
  keybindings: { command: string }[];
  viewsContainers: Record<string, { id: string }[]>;
  views: Record<string, { id: string }[]>;
  viewsWelcome: { view: string }[];
  notebookRenderer: { id: string; entrypoint: string; mimeTypes: string[]; requiresMessaging?: string }[];
  configuration:
    { properties: Record<string, { default?: unknown }> } | { properties: Record<string, { default?: unknown }> }[];
}

const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: Contributes;
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};
const contributes = pkg.contributes;
const properties: Record<string, { default?: unknown }> = Object.assign(
  {},
  ...(Array.isArray(contributes.configuration) ? contributes.configuration : [contributes.configuration]).map(
    (c) => c.properties,
  ),
);

const sorted = (values: Iterable<string>) => [...values].sort();
const unique = (values: readonly string[]) =>
  assert.equal(new Set(values).size, values.length, `a duplicate in ${values.join(', ')}`);

test('every command in ids.ts is a command in package.json, and every command there has a constant', () => {
  unique(Object.values(COMMANDS));
  assert.deepEqual(sorted(Object.values(COMMANDS)), sorted(contributes.commands.map((c) => c.command)));
});

test('menus and keybindings name only declared commands', () => {
  const known = new Set<string>(Object.values(COMMANDS));
  const named = [
    ...Object.values(contributes.menus)
      .flat()
      .map((m) => m.command),
    ...contributes.keybindings.map((k) => k.command),
  ].filter((c): c is string => c !== undefined);
  assert.deepEqual(
    named.filter((c) => !known.has(c)),
    [],
  );
});

test("views: the container and every view in ids.ts are package.json's, and back", () => {
  assert.ok(
    Object.values(contributes.viewsContainers)
      .flat()
      .some((c) => c.id === VIEW_CONTAINER),
    `no view container ${VIEW_CONTAINER}`,
  );
  assert.deepEqual(Object.keys(contributes.views), [VIEW_CONTAINER]);
  assert.deepEqual(
    sorted(Object.values(VIEWS)),
    sorted(
      Object.values(contributes.views)
        .flat()
        .map((v) => v.id),
    ),
  );
  const known = new Set<string>(Object.values(VIEWS));
  assert.deepEqual(
    contributes.viewsWelcome.map((w) => w.view).filter((v) => !known.has(v)),
    [],
  );
});

test('webview panel types: each one package.json activates on has a constant, and back; the panels use them', () => {
  const activated = pkg.activationEvents
    .filter((e) => e.startsWith('onWebviewPanel:'))
    .map((e) => e.slice('onWebviewPanel:'.length));
  assert.deepEqual(sorted(Object.values(WEBVIEW_TYPES)), sorted(activated));
  assert.deepEqual(
    sorted([RESULTS_VIEW_TYPE, ...Object.values(PANEL_VIEW_TYPES)]),
    sorted(Object.values(WEBVIEW_TYPES)),
  );
});

test('every setting in ids.ts is a setting in package.json, and every setting there has a constant', () => {
  unique(Object.values(SETTINGS));
  assert.deepEqual(sorted(Object.values(SETTINGS)), sorted(Object.keys(properties)));
  const known = new Set<string>(Object.values(SETTINGS));
  assert.deepEqual(
    pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.filter((s) => !known.has(s)),
    [],
  );
});

test("the settings reader's defaults are package.json's", () => {
  assert.deepEqual(sorted(Object.keys(SETTING_DEFAULTS)), sorted(Object.keys(SETTINGS)));
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const declared = properties[SETTINGS[name]];
    assert.ok(declared && 'default' in declared, `${SETTINGS[name]} declares no default`);
    assert.deepEqual(
      SETTING_DEFAULTS[name],
      declared.default,
      `${SETTINGS[name]}: the reader's default is not package.json's`,
    );
  }
});

test('the notebook output renderer package.json declares is the one in ids.ts, with its one mime type and messaging', () => {
  assert.equal(contributes.notebookRenderer.length, 1);
  const [renderer] = contributes.notebookRenderer;
  assert.equal(renderer.id, NOTEBOOK_RENDERER.id);
  assert.deepEqual(renderer.mimeTypes, [NOTEBOOK_RENDERER.mime]);
  // The host answers Copy and Export through renderer messaging; without it the output still draws.
  assert.equal(renderer.requiresMessaging, 'optional');
  assert.equal(renderer.entrypoint, './dist/webview/notebookRenderer.js');
});
