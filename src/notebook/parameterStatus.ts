/**
 * What the status bar says about the active sync-log notebook: its parameters' values and the
 * connection its cells run on. Values are whatever the user typed or picked, and a name can come
 * from a workspace's settings: they are shown as text, never as icons or reordering marks. Pure.
 */
import { isolate, noIcons } from '../shared/displayText';

export interface ParameterStatusInput {
  /** The values remembered for the notebook. */
  values: Readonly<Record<string, string>>;
  /** The parameters its SQL cells use, in order of appearance. */
  used: readonly string[];
  connection: string;
}

export interface ParameterStatus {
  text: string;
  tooltip: string;
}

/** Parameters in the text itself; the tooltip lists every one. */
export const SHOWN_IN_TEXT = 2;
/** A value longer than this is cut in the text (the tooltip has it whole). */
export const VALUE_CHARS = 24;

const shown = (text: string) => isolate(noIcons(text));
const cut = (value: string) => (value.length > VALUE_CHARS ? `${value.slice(0, VALUE_CHARS - 1)}…` : value);
// One line per value: a newline in one would fake another line.
const oneLine = (value: string) => value.replace(/[\r\n\u2028\u2029]+/g, ' ');

export function parameterStatus({ values, used, connection }: ParameterStatusInput): ParameterStatus {
  // Used ones first, in the notebook's order; then values remembered for cells since removed.
  const names = [...new Set([...used, ...Object.keys(values)])];
  const entry = (name: string, value: string | undefined, whole: boolean) =>
    `:${name} = ${value === undefined ? '(not set)' : whole ? oneLine(value) : cut(oneLine(value))}`;
  const inText = names.slice(0, SHOWN_IN_TEXT).map((n) => shown(entry(n, values[n], false)));
  const more = names.length - inText.length;
  const params = names.length === 0 ? 'No parameters' : `${inText.join(', ')}${more > 0 ? ` +${more}` : ''}`;
  const lines = names.map((n) => isolate(entry(n, values[n], true)));
  return {
    text: `$(symbol-parameter) ${params} · ${shown(connection)}`,
    tooltip: [
      names.length ? 'Notebook parameters (bound as values, never pasted into the SQL):' : 'No notebook parameters.',
      ...lines,
      `Cells run on the "${isolate(connection)}" connection (the kernel picker switches).`,
      'Click to set the parameters again.',
    ].join('\n'),
  };
}
