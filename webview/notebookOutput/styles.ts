/**
 * The renderer's CSS, put once into the notebook webview's <head>: outputs get no stylesheet of
 * their own. The classes are the grid's `sg-` and this folder's `slnb-` ones, so nothing here
 * styles another renderer's output. Colours are VS Code's theme variables only.
 */
import gridCss from '../grid/grid.css';
import chartTableCss from '../shared/chartTable.css';
import outputCss from './renderer.css';

const STYLE_ID = 'synclogs-notebook-output-css';

export function injectStyles(): void {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement('style');
  style.id = STYLE_ID;
  style.textContent = [gridCss, chartTableCss, outputCss].join('\n');
  document.head.append(style);
}
