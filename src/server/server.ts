/**
 * The language server's wiring: LSP over stdio or node-ipc around the pure core
 * (completions, hover, diagnostics). Runs standalone too: `synclogs-language-server --stdio`.
 */
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  MarkupKind,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node';
import type { CodeAction, CompletionItem, Diagnostic, TextEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { setContextNotification, setDocumentContextNotification } from '../shared/lspProtocol';
import { completions, type CompletionKind } from './completion';
import { diagnostics, type Severity } from './diagnostics';
import { hover } from './hover';
import type { ServerOptions } from './schemaModel';
import type { StatementIndex, Unchanged } from './statementIndex';
import { UNTOUCHED, afterEdit, indexStatements, lexicalOf, updateStatementIndex } from './statementIndex';

/** Diagnostics wait for a pause in typing; `initializationOptions.diagnosticsDebounceMs` overrides it (benchmarks set 0). */
let debounceMs = 150;

/** What a diagnostic carries in `data` so a code action can apply its fix. */
interface FixData {
  title: string;
  edit: TextEdit;
}

const connection = createConnection(ProposedFeatures.all);
/** Per open document, what the edits since its index was last brought up to date left untouched. */
const untouched = new Map<string, Unchanged>();
// Edits are applied one at a time so each range is read against the text it was made on.
const documents = new TextDocuments<TextDocument>({
  create: TextDocument.create,
  update: (doc, changes, version) => {
    let unchanged = untouched.get(doc.uri) ?? UNTOUCHED;
    for (const change of changes) {
      const length = doc.getText().length;
      unchanged =
        'range' in change
          ? afterEdit(unchanged, doc.offsetAt(change.range.start), doc.offsetAt(change.range.end), length)
          : afterEdit(unchanged, 0, length, length);
      doc = TextDocument.update(doc, [change], version);
    }
    untouched.set(doc.uri, unchanged);
    return doc;
  },
});
// Replaced (never mutated) on a context change, so the core's caches see new options.
let options: ServerOptions = { dialect: 'postgres', schema: 'hightouch_audit' };
/** Documents on another connection than the active one (a notebook's cells on its own kernel's), by URI. */
const documentOptions = new Map<string, ServerOptions>();
const optionsOf = (uri: string): ServerOptions => documentOptions.get(uri) ?? options;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

const KIND: Record<CompletionKind, CompletionItemKind> = {
  schema: CompletionItemKind.Module,
  table: CompletionItemKind.Class,
  column: CompletionItemKind.Field,
  alias: CompletionItemKind.Variable,
  value: CompletionItemKind.EnumMember,
  function: CompletionItemKind.Function,
};

connection.onInitialize((params) => {
  const requested = (params.initializationOptions as { diagnosticsDebounceMs?: unknown } | undefined)
    ?.diagnosticsDebounceMs;
  if (typeof requested === 'number' && requested >= 0) debounceMs = requested;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['.', "'", ' '] },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'synclogs-language-server' },
  };
});

/** Each open document's statements, brought up to date lazily: only edited statements are lexed again. */
const indexes = new Map<string, { version: number; index: StatementIndex }>();

function indexOf(doc: TextDocument): StatementIndex {
  const lexical = lexicalOf(optionsOf(doc.uri).dialect);
  // An index lexed for another dialect (the connection changed) is of no use: strings and comments differ.
  const entry = indexes.get(doc.uri);
  const known = entry?.index.lexical === lexical ? entry : undefined;
  if (known?.version === doc.version) return known.index;
  const index = known
    ? updateStatementIndex(known.index, doc.getText(), untouched.get(doc.uri))
    : indexStatements(doc.getText(), lexical);
  indexes.set(doc.uri, { version: doc.version, index });
  untouched.delete(doc.uri);
  return index;
}

function validate(doc: TextDocument): void {
  const range = (start: number, end: number) => ({ start: doc.positionAt(start), end: doc.positionAt(end) });
  const out: Diagnostic[] = diagnostics(indexOf(doc), optionsOf(doc.uri)).map((d) => ({
    range: range(d.start, d.end),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'sync-logs',
    message: d.message,
    data: d.fix
      ? ({
          title: d.fix.title,
          edit: { range: range(d.fix.start, d.fix.end), newText: d.fix.newText },
        } satisfies FixData)
      : undefined,
  }));
  void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: out });
}

/** Cancels a document's scheduled validation. */
const pending = new Map<string, () => void>();

function schedule(doc: TextDocument, delayMs = debounceMs): void {
  pending.get(doc.uri)?.();
  const run = () => {
    pending.delete(doc.uri);
    const current = documents.get(doc.uri);
    if (current) validate(current);
  };
  // With no delay, still after the messages already read, so a burst of edits is checked once.
  if (delayMs > 0) {
    const timer = setTimeout(run, delayMs);
    pending.set(doc.uri, () => clearTimeout(timer));
  } else {
    const immediate = setImmediate(run);
    pending.set(doc.uri, () => clearImmediate(immediate));
  }
}

documents.onDidOpen((e) => {
  // A document opened again under the same URI starts from scratch.
  indexes.delete(e.document.uri);
  untouched.delete(e.document.uri);
  schedule(e.document, 0);
});
documents.onDidChangeContent((e) => schedule(e.document));
documents.onDidClose((e) => {
  indexes.delete(e.document.uri);
  documentOptions.delete(e.document.uri);
  untouched.delete(e.document.uri);
  pending.get(e.document.uri)?.();
  pending.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onCompletion(({ textDocument, position }): CompletionItem[] => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return [];
  return completions(indexOf(doc), doc.offsetAt(position), optionsOf(doc.uri)).map((c, i) => ({
    label: c.label,
    kind: KIND[c.kind],
    detail: c.detail,
    documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
    sortText: String(i).padStart(4, '0'),
    textEdit: {
      range: { start: doc.positionAt(c.replaceStart), end: doc.positionAt(c.replaceEnd) },
      newText: c.insertText,
    },
  }));
});

connection.onHover(({ textDocument, position }) => {
  const doc = documents.get(textDocument.uri);
  const h = doc && hover(indexOf(doc), doc.offsetAt(position), optionsOf(doc.uri));
  if (!doc || !h) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: h.markdown },
    range: { start: doc.positionAt(h.start), end: doc.positionAt(h.end) },
  };
});

connection.onCodeAction(({ textDocument, context }): CodeAction[] =>
  context.diagnostics.flatMap((d) => {
    const fix = d.data as FixData | undefined;
    if (d.source !== 'sync-logs' || !fix?.edit) return [];
    return [
      {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: true,
        edit: { changes: { [textDocument.uri]: [fix.edit] } },
      },
    ];
  }),
);

connection.onNotification(setContextNotification, (params) => {
  options = { dialect: params.dialect, schema: params.schema, catalog: params.catalog };
  for (const doc of documents.all()) schedule(doc, 0);
});

connection.onNotification(setDocumentContextNotification, ({ uris, context }) => {
  // One object for all of them: the core's caches are per options object.
  const shared: ServerOptions | undefined = context && {
    dialect: context.dialect,
    schema: context.schema,
    catalog: context.catalog,
  };
  for (const uri of uris) {
    if (shared) documentOptions.set(uri, shared);
    else documentOptions.delete(uri);
    const doc = documents.get(uri);
    if (doc) schedule(doc, 0);
  }
});

documents.listen(connection);
connection.listen();
