/** Element creation for the grid: text is always textContent, never HTML. */
export function h(
  tag: string,
  props: { className?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: (Node | undefined)[]
): HTMLElement {
  const e = document.createElement(tag);
  if (props.className) e.className = props.className;
  if (props.text !== undefined) e.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) e.setAttribute(k, v);
  for (const c of children) if (c) e.append(c);
  return e;
}
