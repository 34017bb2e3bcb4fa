/**
 * Chart.js for the analysis panels: only the parts registered below are bundled, colours come from
 * the VS Code theme, charts are drawn again when the theme changes, tooltips show exact en-US
 * numbers, and animations are off (faster, and screenshots are stable).
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
} from 'chart.js';
import { beforeClear, fmtNumber } from './dom';
import { UNEXPECTED } from '../../src/shared/analysisData';
import { categoryColor as colorOfName } from '../../src/shared/chartColors';
import type { ClippedAxis } from '../../src/shared/chartScale';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
);

export { Chart };

/** The theme's colours, read from the CSS variables VS Code sets on the page. */
export interface ThemeColors {
  red: string;
  blue: string;
  yellow: string;
  orange: string;
  green: string;
  purple: string;
  foreground: string;
  muted: string;
  border: string;
  background: string;
  fontFamily: string;
  highContrast: boolean;
  /** Light themes (including high-contrast light) get darker generated hues. */
  light: boolean;
}

const FALLBACK: Record<string, string> = {
  red: '#f14c4c',
  blue: '#3794ff',
  yellow: '#cca700',
  orange: '#d18616',
  green: '#89d185',
  purple: '#b180d7',
};

export function themeColors(): ThemeColors {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const cls = document.body.classList;
  return {
    red: v('--vscode-charts-red', FALLBACK.red),
    blue: v('--vscode-charts-blue', FALLBACK.blue),
    yellow: v('--vscode-charts-yellow', FALLBACK.yellow),
    orange: v('--vscode-charts-orange', FALLBACK.orange),
    green: v('--vscode-charts-green', FALLBACK.green),
    purple: v('--vscode-charts-purple', FALLBACK.purple),
    foreground: v('--vscode-foreground', '#cccccc'),
    muted: v('--vscode-descriptionForeground', v('--vscode-foreground', '#999999')),
    border: v('--vscode-panel-border', 'rgba(128, 128, 128, 0.35)'),
    background: v('--vscode-editor-background', '#1e1e1e'),
    fontFamily: v('--vscode-font-family', 'sans-serif'),
    highContrast: cls.contains('vscode-high-contrast') || cls.contains('vscode-high-contrast-light'),
    light: cls.contains('vscode-light') || cls.contains('vscode-high-contrast-light'),
  };
}

/**
 * N distinct colours: the theme's chart colours first (blue, orange, green, purple, yellow; red
 * is kept for what is wrong: the unexpected bucket, failures), then hues spread by the golden
 * angle so twenty-odd categories never share a colour.
 */
export function palette(n: number, t: ThemeColors = themeColors()): string[] {
  const base = [t.blue, t.orange, t.green, t.purple, t.yellow];
  const lightness = t.light ? 42 : 62;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      i < base.length ? base[i] : `hsl(${Math.round((20 + (i - base.length) * 137.508) % 360)}, 55%, ${lightness}%)`,
    );
  }
  return out;
}

/**
 * The colour of an error category, the same in every panel and chart (a function of its name and
 * the background, see src/shared/chartColors.ts); the unexpected bucket alone is the theme's red.
 */
export function categoryColor(name: string, t: ThemeColors = themeColors()): string {
  return name === UNEXPECTED ? t.red : colorOfName(name, t.background, t.light);
}

/** A colour with alpha, for any CSS colour the browser understands (hex, rgb(), named). */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{3,8})$/i.exec(color.trim());
  if (m) {
    let hex = m[1];
    if (hex.length === 3 || hex.length === 4) hex = [...hex].map((c) => c + c).join('');
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^)]+)\)$/i.exec(color.trim());
  if (rgb) {
    const [r, g, b] = rgb[1].split(/[ ,/]+/).filter(Boolean);
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  return color;
}

/** Defaults that follow the theme (set again before each chart is built). */
function applyDefaults(t: ThemeColors): void {
  Chart.defaults.animation = false;
  Chart.defaults.color = t.foreground;
  Chart.defaults.borderColor = withAlpha(t.border, 0.6);
  Chart.defaults.font.family = t.fontFamily;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.responsive = true;
  Chart.defaults.plugins.tooltip.backgroundColor = t.background;
  Chart.defaults.plugins.tooltip.titleColor = t.foreground;
  Chart.defaults.plugins.tooltip.bodyColor = t.foreground;
  Chart.defaults.plugins.tooltip.footerColor = t.foreground;
  Chart.defaults.plugins.tooltip.borderColor = t.highContrast ? t.foreground : t.border;
  Chart.defaults.plugins.tooltip.borderWidth = 1;
}

/** A tooltip label with the exact number in en-US (e.g. "timeouts: 1,234"). */
export function exactLabel(ctx: {
  dataset: { label?: string };
  parsed: { x?: number | null; y?: number | null };
  chart: { options: { indexAxis?: string } };
}): string {
  const horizontal = ctx.chart.options.indexAxis === 'y';
  const v = horizontal ? ctx.parsed.x : ctx.parsed.y;
  return `${ctx.dataset.label ?? ''}: ${fmtNumber(v ?? null)}`;
}

/**
 * Draws "clipped: 50,000" above each bar cut off by a clipped axis (src/shared/chartScale.ts),
 * with a break mark across the top of the bar, so the cut is never silent. `values` are the real
 * totals by x index. Labels of neighbouring cut bars alternate between two lines.
 */
export function clippedBarsPlugin(axis: ClippedAxis | null, values: readonly number[], t: ThemeColors, scaleId = 'y') {
  return {
    id: 'clippedBars',
    afterDatasetsDraw(chart: Chart) {
      if (!axis) return;
      const x = chart.scales.x;
      const y = chart.scales[scaleId];
      if (!x || !y) return;
      const ctx = chart.ctx;
      const top = chart.chartArea.top;
      ctx.save();
      ctx.font = `11px ${t.fontFamily}`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'bottom';
      axis.clipped.forEach((i, k) => {
        const cx = x.getPixelForValue(i);
        const half = Math.max(4, Math.min(14, (x.width / Math.max(1, values.length)) * 0.4));
        // The break: a zigzag in the background colour across the bar, a few pixels below the top.
        ctx.strokeStyle = t.background;
        ctx.lineWidth = 3;
        ctx.beginPath();
        ctx.moveTo(cx - half, top + 10);
        ctx.lineTo(cx - half / 3, top + 6);
        ctx.lineTo(cx + half / 3, top + 12);
        ctx.lineTo(cx + half, top + 8);
        ctx.stroke();
        const neighbourBefore = k > 0 && axis.clipped[k - 1] >= i - 2;
        ctx.fillStyle = t.foreground;
        const label = `clipped: ${fmtNumber(values[i])}`;
        // Kept inside the plot, so the first or last bar's label is not cut by the canvas edge.
        const w = ctx.measureText(label).width / 2;
        const lx = Math.min(Math.max(cx, chart.chartArea.left + w), chart.chartArea.right - w);
        ctx.fillText(label, lx, top - 2 - (neighbourBefore && k % 2 ? 12 : 0));
      });
      ctx.restore();
    },
  };
}

/** Tick labels in en-US. */
export const numberTick = (value: string | number): string => (typeof value === 'number' ? fmtNumber(value) : value);

interface Managed {
  canvas: HTMLCanvasElement;
  build: (t: ThemeColors) => ChartConfiguration<ChartType>;
  chart: Chart;
}

const managed = new Set<Managed>();

/**
 * What a chart shows, as JSON in the canvas's data-chart attribute: its scales' ranges and its
 * series' colours and point shapes. A canvas has no DOM to inspect, so this is how the preview
 * checks that an axis starts at zero or that two markers differ.
 */
function describe(c: Chart): void {
  const scales = Object.fromEntries(
    Object.entries(c.scales).map(([id, s]) => [id, { type: s.type, min: s.min, max: s.max }]),
  );
  const first = <T>(v: T | T[] | undefined): T | undefined => (Array.isArray(v) ? v[0] : v);
  const datasets = c.data.datasets.map((d) => {
    const ds = d as {
      label?: string;
      type?: string;
      backgroundColor?: unknown;
      pointBackgroundColor?: unknown;
      pointStyle?: unknown;
      data: unknown[];
    };
    return {
      label: ds.label,
      type: ds.type ?? (c.config as { type?: string }).type,
      color: first(ds.pointBackgroundColor as string | string[]) ?? first(ds.backgroundColor as string | string[]),
      pointStyle: first(ds.pointStyle as string | string[]),
      data: ds.data,
    };
  });
  c.canvas.setAttribute('data-chart', JSON.stringify({ scales, datasets }));
}

// After every layout (the first one waits for the canvas to be in the page and sized).
Chart.register({ id: 'describeOnCanvas', afterUpdate: (chart: Chart) => describe(chart) });

/**
 * Draws a chart on `canvas` from a config builder; the builder runs again with the new colours
 * when the theme changes. The canvas should sit in a container with a height (see .chart-box).
 */
export function themedChart<T extends ChartType>(
  canvas: HTMLCanvasElement,
  build: (t: ThemeColors) => ChartConfiguration<T>,
): { chart: Chart; destroy(): void } {
  const t = themeColors();
  applyDefaults(t);
  const b = build as unknown as Managed['build'];
  const m: Managed = { canvas, build: b, chart: new Chart(canvas, b(t)) };
  managed.add(m);
  return {
    get chart() {
      return m.chart;
    },
    destroy() {
      m.chart.destroy();
      managed.delete(m);
    },
  };
}

/** Destroys the charts whose canvas is inside `root` (before the root's content is replaced). */
export function destroyChartsIn(root: Node): void {
  for (const m of [...managed]) {
    if (root.contains(m.canvas)) {
      m.chart.destroy();
      managed.delete(m);
    }
  }
}

beforeClear.push(destroyChartsIn);

function redrawAll(): void {
  const t = themeColors();
  applyDefaults(t);
  for (const m of [...managed]) {
    m.chart.destroy();
    if (!m.canvas.isConnected) {
      managed.delete(m);
      continue;
    }
    m.chart = new Chart(m.canvas, m.build(t));
  }
}

// VS Code switches the theme by changing the body's classes (vscode-light, vscode-dark,
// vscode-high-contrast, vscode-high-contrast-light) and the CSS variables on <html>.
let pending = false;
const schedule = () => {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    redrawAll();
  });
};
new MutationObserver(schedule).observe(document.body, { attributes: true, attributeFilter: ['class'] });
new MutationObserver(schedule).observe(document.documentElement, {
  attributes: true,
  attributeFilter: ['style', 'class'],
});
