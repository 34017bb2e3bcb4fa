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
import { SET_CONTEXT_METHOD, type SetContextParams } from '../shared/lspProtocol';
import { completions, type CompletionKind } from './completion';
import { diagnostics, type Severity } from './diagnostics';
import { hover } from './hover';
import type { ServerOptions } from './schemaModel';

const DEBOUNCE_MS = 150;

/** What a diagnostic carries in `data` so a code action can apply its fix. */
interface FixData {
  title: string;
  edit: TextEdit;
}

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
// Replaced (never mutated) on a context change, so the core's caches see new options.
let options: ServerOptions = { dialect: 'postgres', schema: 'hightouch_audit' };

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

connection.onInitialize(() => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    completionProvider: { triggerCharacters: ['.', "'", ' '] },
    hoverProvider: true,
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  },
  serverInfo: { name: 'synclogs-language-server' },
}));

function validate(doc: TextDocument): void {
  const range = (start: number, end: number) => ({ start: doc.positionAt(start), end: doc.positionAt(end) });
  const out: Diagnostic[] = diagnostics(doc.getText(), options).map((d) => ({
    range: range(d.start, d.end),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'sync-logs',
    message: d.message,
    data: d.fix ? ({ title: d.fix.title, edit: { range: range(d.fix.start, d.fix.end), newText: d.fix.newText } } satisfies FixData) : undefined,
  }));
  void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: out });
}

const pending = new Map<string, NodeJS.Timeout>();

function schedule(doc: TextDocument, delayMs = DEBOUNCE_MS): void {
  clearTimeout(pending.get(doc.uri));
  pending.set(
    doc.uri,
    setTimeout(() => {
      pending.delete(doc.uri);
      const current = documents.get(doc.uri);
      if (current) validate(current);
    }, delayMs),
  );
}

documents.onDidOpen((e) => schedule(e.document, 0));
documents.onDidChangeContent((e) => schedule(e.document));
documents.onDidClose((e) => {
  clearTimeout(pending.get(e.document.uri));
  pending.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onCompletion(({ textDocument, position }): CompletionItem[] => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return [];
  return completions(doc.getText(), doc.offsetAt(position), options).map((c, i) => ({
    label: c.label,
    kind: KIND[c.kind],
    detail: c.detail,
    documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
    sortText: String(i).padStart(4, '0'),
    textEdit: { range: { start: doc.positionAt(c.replaceStart), end: doc.positionAt(c.replaceEnd) }, newText: c.insertText },
  }));
});

connection.onHover(({ textDocument, position }) => {
  const doc = documents.get(textDocument.uri);
  const h = doc && hover(doc.getText(), doc.offsetAt(position), options);
  if (!doc || !h) return null;
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: { start: doc.positionAt(h.start), end: doc.positionAt(h.end) } };
});

connection.onCodeAction(({ textDocument, context }): CodeAction[] =>
  context.diagnostics.flatMap((d) => {
    const fix = d.data as FixData | undefined;
    if (d.source !== 'sync-logs' || !fix?.edit) return [];
    return [{ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [textDocument.uri]: [fix.edit] } } }];
  }),
);

connection.onNotification(SET_CONTEXT_METHOD, (params: SetContextParams) => {
  options = { dialect: params.dialect, schema: params.schema, catalog: params.catalog };
  for (const doc of documents.all()) schedule(doc, 0);
});

documents.listen(connection);
connection.listen();
