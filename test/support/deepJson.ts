/** JSON nested `depth` levels: as Postgres's `repeat('[', n) || repeat(']', n)`, and as parsed arrays. */
export const deepJsonText = (depth: number, inner = ''): string => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

export function deepJsonValue(depth: number, inner: unknown = undefined): unknown {
  let v: unknown = inner === undefined ? [] : [inner];
  for (let i = 1; i < depth; i++) v = [v];
  return v;
}

/** A cell as it crosses to a worker or a webview: structured clone fails with a RangeError on deep objects. */
export const crossesPostMessage = (cell: unknown): unknown => structuredClone(cell);
