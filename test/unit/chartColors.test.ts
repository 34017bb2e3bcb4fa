import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  categoryColor,
  categorySlot,
  contrast,
  hashName,
  MIN_CONTRAST,
  parseColor,
  SLOT_COUNT,
  SLOT_HUES,
} from '../../src/shared/chartColors';
import { DEFAULT_CATEGORIES } from '../../src/analysis/errorCategories';

// The editor backgrounds of VS Code's Light+, Dark+ (and Dark Modern), High Contrast and High Contrast Light.
const BACKGROUNDS: [string, string, boolean][] = [
  ['light', '#ffffff', true],
  ['dark', '#1e1e1e', false],
  ['dark modern', '#1f1f1f', false],
  ['high contrast', '#000000', false],
  ['high contrast light', '#ffffff', true],
  ['solarized light', '#fdf6e3', true],
];
const NAMES = [
  ...DEFAULT_CATEGORIES.map((c) => c.name),
  'rate limit',
  'invalid data',
  'duplicates',
  'my custom one',
  '\u202e',
  '',
];

test('a category has the same colour whatever else is charted beside it', () => {
  for (const [, bg, light] of BACKGROUNDS) {
    for (const n of NAMES) assert.equal(categoryColor(n, bg, light), categoryColor(n, bg, light));
  }
  assert.equal(hashName('rate_limit'), hashName('rate_limit'));
  assert.notEqual(hashName('rate_limit'), hashName('rate_limiT'));
});

test('the built-in categories never share a colour', () => {
  const slots = DEFAULT_CATEGORIES.map((c) => categorySlot(c.name));
  assert.ok(DEFAULT_CATEGORIES.length <= SLOT_COUNT);
  assert.equal(new Set(slots).size, slots.length);
  for (const [theme, bg, light] of BACKGROUNDS) {
    const colors = DEFAULT_CATEGORIES.map((c) => categoryColor(c.name, bg, light));
    assert.equal(new Set(colors).size, colors.length, theme);
  }
  // Neighbours in the list (often seen together) are far apart on the wheel.
  for (let k = 1; k < Math.min(12, slots.length); k++) {
    const a = SLOT_HUES[slots[k - 1] % 12];
    const b = SLOT_HUES[slots[k] % 12];
    const d = Math.min(Math.abs(a - b), 360 - Math.abs(a - b));
    assert.ok(d >= 100, `${DEFAULT_CATEGORIES[k - 1].name} / ${DEFAULT_CATEGORIES[k].name}: ${d} degrees`);
  }
});

test('every colour keeps 3:1 against the background in light, dark and high-contrast themes', () => {
  const custom = Array.from({ length: 200 }, (_, i) => `custom ${i}`);
  for (const [theme, bg, light] of BACKGROUNDS) {
    const bgRgb = parseColor(bg)!;
    for (const n of [...NAMES, ...custom]) {
      const c = parseColor(categoryColor(n, bg, light))!;
      assert.ok(
        contrast(c, bgRgb) >= MIN_CONTRAST,
        `${n} on ${theme}: ${categoryColor(n, bg, light)} is ${contrast(c, bgRgb).toFixed(2)}:1`,
      );
    }
  }
});

test('no category colour is red (red means the unexpected bucket)', () => {
  for (const [, bg, light] of BACKGROUNDS) {
    for (const n of [...NAMES, ...Array.from({ length: 200 }, (_, i) => `custom ${i}`)]) {
      const [r, g, b] = parseColor(categoryColor(n, bg, light))!;
      const max = Math.max(r, g, b);
      const min = Math.min(r, g, b);
      if (max === min) continue;
      let h =
        max === r
          ? ((g - b) / (max - min)) * 60
          : max === g
            ? (2 + (b - r) / (max - min)) * 60
            : (4 + (r - g) / (max - min)) * 60;
      if (h < 0) h += 360;
      assert.ok(h >= 25 && h <= 335, `${n}: hue ${h.toFixed(0)}`);
    }
  }
});

test('an unreadable background falls back to the theme kind', () => {
  assert.equal(categoryColor('rate_limit', 'var(--x)', true), categoryColor('rate_limit', '#ffffff', true));
  assert.equal(categoryColor('rate_limit', '', false), categoryColor('rate_limit', '#1e1e1e', false));
  assert.deepEqual(parseColor('rgb(31, 31, 31)'), [31, 31, 31]);
  assert.deepEqual(parseColor('#abc'), [0xaa, 0xbb, 0xcc]);
  assert.equal(parseColor('#abcde'), undefined);
});
