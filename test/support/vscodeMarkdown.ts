/**
 * Markdown rendered the way VS Code 1.100 renders a hover's MarkdownString (its
 * src/vs/base/browser/markdownRenderer.ts): the marked version it bundles (14.0.0), marked's
 * defaults (gfm on, breaks off), its own renderers for links, images and paragraphs, code
 * blocks handed to a code renderer, raw HTML dropped when supportHtml is off, and the value cut
 * at 100,000 characters first. What comes out is checked before VS Code's DOMPurify pass: a
 * stricter test, since the sanitizer keeps <a> and <img> anyway.
 */
import { Marked, Renderer, type Tokens } from 'marked';

const html = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export function renderLikeVsCode(markdown: string): string {
  const renderer = new Renderer();
  renderer.image = ({ href, text }: Tokens.Image) => `<img src="${html(href ?? '')}" alt="${html(text ?? '')}">`;
  renderer.link = function (this: Renderer, { href, tokens }: Tokens.Link) {
    return `<a href="${html(href)}">${this.parser.parseInline(tokens)}</a>`;
  };
  renderer.paragraph = function (this: Renderer, { tokens }: Tokens.Paragraph) {
    return `<p>${this.parser.parseInline(tokens)}</p>`;
  };
  // VS Code puts the escaped text in a placeholder that its code renderer fills in later.
  renderer.code = ({ text }: Tokens.Code) => `<div class="code">${html(text)}</div>`;
  renderer.html = () => '';
  const value = markdown.length > 100_000 ? `${markdown.slice(0, 100_000)}…` : markdown;
  return new Marked().parse(value, { renderer, async: false }) as string;
}

/** The five entities marked writes for text. */
export const unescapeHtml = (s: string) =>
  s.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? _,
  );

export interface RenderedTooltip {
  html: string;
  /** Every tag, as written (`<p>`, `</code>`, `<div class="code">`). */
  tags: string[];
  /** The text of each inline <code>, unescaped, in order. */
  codeSpans: string[];
  /** The text of each code block, unescaped. */
  codeBlocks: string[];
  /** The text outside any code, each tag read as a space, unescaped. */
  ownText: string;
}

/**
 * Splits marked's output. marked escapes `<` in every text it writes, so each `<` in the
 * output opens a tag a renderer wrote: reading tags with a pattern is exact here.
 */
export function readRendered(markdown: string): RenderedTooltip {
  const out = renderLikeVsCode(markdown);
  const tags = out.match(/<[^>]*>/g) ?? [];
  const codeSpans = [...out.matchAll(/<code>([\s\S]*?)<\/code>/g)].map((m) => unescapeHtml(m[1]));
  const codeBlocks = [...out.matchAll(/<div class="code">([\s\S]*?)<\/div>/g)].map((m) => unescapeHtml(m[1]));
  const ownText = unescapeHtml(
    out.replace(/<code>[\s\S]*?<\/code>|<div class="code">[\s\S]*?<\/div>/g, '').replace(/<[^>]*>/g, ' '),
  );
  return { html: out, tags, codeSpans, codeBlocks, ownText };
}

/** The tags our tooltip layout writes: paragraphs, bold labels, code spans, line breaks, one code block, an italic note. */
export const LAYOUT_TAGS = new Set([
  '<p>',
  '</p>',
  '<strong>',
  '</strong>',
  '<code>',
  '</code>',
  '<br>',
  '<div class="code">',
  '</div>',
  '<em>',
  '</em>',
]);
