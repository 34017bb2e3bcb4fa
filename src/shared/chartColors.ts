/**
 * One colour per error category, the same in every panel and every chart: a pure function of the
 * category name and of the page's background. Colours handed out by position (the first series
 * blue, the second orange) change when a window or a sync adds a category, so "rate_limit" was
 * blue in one chart and green in the next; a colour from the name does not move.
 *
 * The built-in categories get fixed slots, far apart in hue, so they never share a colour; other
 * names take a slot from a hash of the name (two custom names may share one: the legend, the
 * tooltip and the table toggle still tell them apart). Red is left out of every slot: it means
 * the unexpected bucket (the caller draws that one in the theme's red).
 *
 * Each slot is a hue and a contrast target; the lightness is solved for the background so every
 * colour keeps at least 3:1 against it (WCAG 2.1 non-text contrast, 1.4.11) in light, dark and
 * high-contrast themes.
 */
import { DEFAULT_PATTERNS } from './defaultCategories';

/** Hues in degrees, clear of red (0) by at least 35 degrees either side (with the tone's shift). */
export const SLOT_HUES: readonly number[] = Object.freeze(Array.from({ length: 12 }, (_, i) => 35 + i * 24));
/** The second tone also moves half a hue step, so a slot and its twin differ in hue, not just lightness. */
const TONE_HUE_SHIFT = 12;
/**
 * Contrast against the background per tone, both >= 3:1: on a light page a strong tone and a
 * softer one; on a dark page the second is a pastel, since a dim tone there reads as muddy.
 */
export const TONE_CONTRASTS = Object.freeze({ light: [5.5, 3.4], dark: [5.5, 9] });
const TONES = 2;
export const MIN_CONTRAST = 3;
const SATURATION = 0.7;

export const SLOT_COUNT = SLOT_HUES.length * TONES;

/**
 * The built-in names in their list's order, spaced around the wheel: 5 is coprime with 12, so
 * neighbours in the list are five hue steps (120 degrees) apart and the first 12 use every hue
 * once before the second tone is used.
 */
const FIXED = new Map<string, number>(
  DEFAULT_PATTERNS.slice(0, SLOT_COUNT).map(([name], k) => [
    name,
    ((k * 5) % SLOT_HUES.length) + SLOT_HUES.length * Math.floor(k / SLOT_HUES.length),
  ]),
);

/** FNV-1a over UTF-16 code units: small, stable across runs and platforms. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The slot (0 .. SLOT_COUNT - 1) of a category name. */
export function categorySlot(name: string): number {
  return FIXED.get(name) ?? hashName(name) % SLOT_COUNT;
}

export type Rgb = [number, number, number];

/** #rgb, #rrggbb (alpha ignored), rgb()/rgba(); undefined for anything else. */
export function parseColor(css: string): Rgb | undefined {
  const s = css.trim();
  const hex = /^#([0-9a-f]{3,8})$/i.exec(s);
  if (hex) {
    let h = hex[1];
    if (h.length === 3 || h.length === 4) h = [...h].map((c) => c + c).join('');
    if (h.length !== 6 && h.length !== 8) return undefined;
    return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(s);
  if (rgb) return [1, 2, 3].map((i) => Math.min(255, Math.round(Number(rgb[i])))) as Rgb;
  return undefined;
}

/** WCAG relative luminance of an sRGB colour. */
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const x = c / 255;
    return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

export function hslToRgb(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [f(0), f(8), f(4)].map((x) => Math.round(x * 255)) as Rgb;
}

export const toHex = (c: Rgb): string => `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`;

/**
 * A colour of hue `h` with about `target` contrast against `background`: lighter than a dark
 * background, darker than a light one. Luminance grows with HSL lightness at a fixed hue and
 * saturation, so a bisection finds it.
 */
export function colorWithContrast(h: number, background: Rgb, target: number): Rgb {
  const lighter = goesLighter(background);
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    const c = contrast(hslToRgb(h, SATURATION, mid), background);
    const tooClose = c < target;
    // Going lighter: too little contrast means lighter still; going darker: darker still.
    if (lighter === tooClose) lo = mid;
    else hi = mid;
  }
  // Round toward more contrast, so rounding to 8-bit channels never drops below the target.
  return hslToRgb(h, SATURATION, lighter ? hi : lo);
}

/** Whether colours on this background go lighter than it: the way with more contrast to spare. */
function goesLighter(background: Rgb): boolean {
  const bg = luminance(background);
  return (1 + 0.05) / (bg + 0.05) >= (bg + 0.05) / 0.05;
}

const DARK: Rgb = [30, 30, 30];
const LIGHT: Rgb = [255, 255, 255];

/**
 * The colour of a category on this background (a CSS colour; when it cannot be read, `light`
 * picks white or VS Code's dark grey).
 */
export function categoryColor(name: string, background: string, light: boolean): string {
  const bg = parseColor(background) ?? (light ? LIGHT : DARK);
  const slot = categorySlot(name);
  const tone = Math.floor(slot / SLOT_HUES.length) % TONES;
  const hue = SLOT_HUES[slot % SLOT_HUES.length] + tone * TONE_HUE_SHIFT;
  return toHex(colorWithContrast(hue, bg, TONE_CONTRASTS[goesLighter(bg) ? 'dark' : 'light'][tone]));
}
