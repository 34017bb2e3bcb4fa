/**
 * Every character some lexer or editor may take as the end of a line: \n and \r (all five
 * warehouses), vertical tab, form feed and NEL (Unicode line breaks, Java's \R), U+2028/U+2029
 * (JavaScript line terminators; VS Code offers to turn them into line breaks), and the remaining
 * control characters, which have no business in a comment and could hide text from the reader.
 * Tab is kept.
 */
const LINE_BREAKING = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** Text made safe for the inside of a `-- ` comment: nothing in it can end the comment early. */
export function commentText(text: string): string {
  return text.replace(LINE_BREAKING, ' ');
}

/** A whole `-- ` comment line around warehouse or user text. */
export function commentLine(text: string): string {
  return `-- ${commentText(text)}`;
}
