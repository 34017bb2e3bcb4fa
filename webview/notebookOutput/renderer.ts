/**
 * The notebook output renderer for sync-log cells (package.json `contributes.notebookRenderer`,
 * built as an ES module to dist/webview/notebookRenderer.js). It draws the JSON a cell's run
 * wrote (src/shared/notebookOutput.ts) as the results grid or as a chart, and asks the host,
 * over renderer messaging, for what an output cannot do itself: write VS Code's clipboard, and
 * export the full result (by the run's id; the host knows the statement). Any notebook can hold
 * this mime type, so the data is checked before it is drawn, and drawn as text only.
 */
import {
  isNotebookResultOutput,
  isOutputHostMessage,
  type OutputRendererMessage,
} from '../../src/shared/notebookOutput';
import { destroyChartsIn } from '../shared/charts';
import { el } from '../shared/dom';
import type { Grid } from '../grid/grid';
import { chartOutput } from './chartOutput';
import { outputFrame, type OutputFrame } from './frame';
import { gridOutput } from './gridOutput';
import type { ActivationFunction } from './rendererApi';
import { injectStyles } from './styles';

interface Shown {
  runId: string;
  root: HTMLElement;
  frame: OutputFrame;
  grid?: Grid;
}

export const activate: ActivationFunction = (context) => {
  injectStyles();
  const shown = new Map<string, Shown>();
  const post = context.postMessage ? (m: OutputRendererMessage) => context.postMessage?.(m) : undefined;

  context.onDidReceiveMessage?.((message) => {
    if (!isOutputHostMessage(message)) return;
    for (const s of shown.values()) if (s.runId === message.runId) s.frame.notice(message.text);
  });

  // Without messaging (another host, a preview), the browser's clipboard is the one left.
  const writeClipboard = (text: string) => (post ? post({ type: 'copy', text }) : navigator.clipboard.writeText(text));

  const dispose = (id: string) => {
    const s = shown.get(id);
    if (!s) return;
    s.grid?.dispose();
    destroyChartsIn(s.root);
    shown.delete(id);
  };

  return {
    renderOutputItem(item, element) {
      dispose(item.id);
      let data: unknown;
      try {
        data = item.json();
      } catch {
        data = undefined;
      }
      if (!isNotebookResultOutput(data)) {
        element.replaceChildren(
          el('div', {
            className: 'slnb-root slnb-problem',
            attrs: { role: 'alert' },
            text: 'This output is not a Sync Logs result this version can read; the text output beside it has the rows.',
          }),
        );
        return;
      }
      const runId = data.runId;
      const frame = outputFrame(data, post ? () => post({ type: 'export', runId }) : undefined);
      element.replaceChildren(frame.element);
      const s: Shown = { runId, root: frame.element, frame };
      shown.set(item.id, s);
      // Drawn once the frame is in the page: the grid measures its box, chart.js its canvas.
      if (data.chart) chartOutput(data.chart, frame);
      else s.grid = gridOutput(data, frame, writeClipboard);
    },
    disposeOutputItem(id) {
      for (const key of id === undefined ? [...shown.keys()] : [id]) dispose(key);
    },
  };
};
