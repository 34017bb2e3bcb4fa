/**
 * A chart the host shaped from the rows (src/notebook/chartData.ts): bars, stacked bars or a
 * line, in the theme's colours (drawn again when the theme changes, by charts.ts), with the
 * "Table" toggle showing the same numbers as text. Labels are warehouse values: the chart draws
 * them on a canvas and the table sets them as text.
 */
import type { ChartConfiguration } from 'chart.js';
import type { NotebookChart } from '../../src/shared/notebookOutput';
import { numberTick, palette, themedChart, withAlpha } from '../shared/charts';
import { chartTable } from '../shared/chartTable';
import { el, isolate } from '../shared/dom';
import type { OutputFrame } from './frame';
import { exactNumber } from './numbers';

const CAPTIONS = { bar: 'Bar chart', stacked: 'Stacked bar chart', line: 'Line chart' } as const;

function config(chart: NotebookChart, colors: string[]): ChartConfiguration<'bar' | 'line'> {
  const stacked = chart.kind === 'stacked';
  const line = chart.kind === 'line';
  return {
    type: line ? 'line' : 'bar',
    data: {
      labels: chart.labels.map(isolate),
      datasets: chart.series.map((s, i) => ({
        label: isolate(s.label),
        data: s.values,
        backgroundColor: line ? colors[i] : withAlpha(colors[i], 0.85),
        borderColor: colors[i],
        borderWidth: line ? 2 : 0,
        pointRadius: line && chart.labels.length > 60 ? 0 : 3,
        spanGaps: true,
      })),
    },
    options: {
      scales: {
        x: { stacked, ticks: { autoSkip: true, maxRotation: 45 } },
        y: { stacked, beginAtZero: true, ticks: { callback: numberTick } },
      },
      plugins: {
        legend: { display: chart.series.length > 1 },
        tooltip: {
          callbacks: { label: (ctx) => `${ctx.dataset.label ?? ''}: ${exactNumber(ctx.parsed.y ?? null)}` },
        },
      },
    },
  };
}

export function chartOutput(chart: NotebookChart, frame: OutputFrame): void {
  const canvas = el('canvas', {
    testid: 'nb-chart',
    attrs: {
      role: 'img',
      'aria-label': `${CAPTIONS[chart.kind]} of ${chart.series.map((s) => s.label).join(', ')} by ${chart.x}`,
    },
  });
  const box = el('div', { className: 'slnb-chart-box' }, canvas);
  const notes = chart.notes.map((n) => el('div', { className: 'slnb-muted', text: n }));
  const table = chartTable({
    testid: 'nb-chart-table',
    caption: `${CAPTIONS[chart.kind]}: the numbers`,
    rowHeader: chart.x,
    rows: chart.labels,
    series: chart.series,
    formatNumber: exactNumber,
  });
  frame.body.append(box, ...notes, table);
  themedChart(canvas, (t) => config(chart, palette(chart.series.length, t)));
}
