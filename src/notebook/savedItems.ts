/**
 * A cell output's items as the outputs sidecar keeps them (sidecarFormat.ts). Only the three kinds
 * the controller writes are kept: the result JSON for the renderer (checked with
 * isNotebookResultOutput), the text table, and an error with its name and message. The error's
 * stack is dropped (it names files of this machine), and every other mime type (another
 * extension's HTML, an image) is left out, so a restored output can only be one the controller
 * could have made: text shown as text, or JSON the renderer checks again. Pure: no vscode.
 */
import { NOTEBOOK_RESULT_MIME, isNotebookResultOutput, type NotebookResultOutput } from '../shared/notebookOutput';

export const TEXT_MIME = 'text/plain';
/** What `vscode.NotebookCellOutputItem.error` writes. */
export const ERROR_MIME = 'application/vnd.code.notebook.error';

export interface SavedError {
  name: string;
  message: string;
}

export type SavedItem =
  | { mime: typeof NOTEBOOK_RESULT_MIME; json: NotebookResultOutput }
  | { mime: typeof TEXT_MIME; text: string }
  | { mime: typeof ERROR_MIME; error: SavedError };

/** One output, as its items: what `vscode.NotebookCellOutput.items` holds. */
export type SavedOutput = SavedItem[];

/** An output item as VS Code hands it over: a mime type and bytes. */
export interface RawItem {
  mime: string;
  data: Uint8Array;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}

/** The item to keep, or undefined for one the sidecar does not hold (another mime type, JSON that does not check). */
export function savedItemOf(raw: RawItem): SavedItem | undefined {
  if (raw.mime === TEXT_MIME) return { mime: TEXT_MIME, text: new TextDecoder().decode(raw.data) };
  if (raw.mime === NOTEBOOK_RESULT_MIME) {
    const json = parseJson(raw.data);
    return isNotebookResultOutput(json) ? { mime: NOTEBOOK_RESULT_MIME, json } : undefined;
  }
  if (raw.mime === ERROR_MIME) {
    const error = parseJson(raw.data);
    if (!isObj(error) || typeof error.message !== 'string') return undefined;
    return {
      mime: ERROR_MIME,
      error: { name: typeof error.name === 'string' ? error.name : 'Error', message: error.message },
    };
  }
  return undefined;
}

/** The reason a stored item is not one of the three kinds, or undefined when it is. */
export function savedItemProblem(v: unknown): string | undefined {
  if (!isObj(v)) return 'an item is not an object';
  if (v.mime === TEXT_MIME) return typeof v.text === 'string' ? undefined : 'a text item has no text';
  if (v.mime === NOTEBOOK_RESULT_MIME)
    return isNotebookResultOutput(v.json) ? undefined : 'a result item is not a result the renderer reads';
  if (v.mime === ERROR_MIME) {
    const e = v.error;
    return isObj(e) && typeof e.name === 'string' && typeof e.message === 'string'
      ? undefined
      : 'an error item has no name and message';
  }
  return `an item has the type ${JSON.stringify(String(v.mime)).slice(0, 80)}, which the outputs file does not hold`;
}
