/**
 * Custom LSP messages between the extension (client) and the language server, declared once
 * here and imported by both sides: the method name and its params' type travel together, so
 * neither side names the method or types the params on its own. No `vscode` import.
 */
import { NotificationType } from 'vscode-languageserver-protocol';
import type { Catalog } from './catalog';
import type { DialectKind } from './connection';

export interface SetContextParams {
  dialect: DialectKind;
  schema: string;
  catalog?: Catalog;
}

/** The method name on the wire (for clients that speak JSON-RPC by hand, as the protocol test does). */
export const SET_CONTEXT_METHOD = 'syncLogs/setContext';

/** Client → server notification: the active connection's dialect, schema and (when read) catalog. */
export const setContextNotification = new NotificationType<SetContextParams>(SET_CONTEXT_METHOD);

/**
 * Documents whose SQL runs somewhere other than the active connection (a notebook's cells, on its
 * own kernel's connection), with that connection's context; without `context`, those documents go
 * back to the active connection's. A document's entry ends when it closes.
 */
export interface SetDocumentContextParams {
  uris: string[];
  context?: SetContextParams;
}

export const SET_DOCUMENT_CONTEXT_METHOD = 'syncLogs/setDocumentContext';

/** Client → server notification: the context of some documents, over the active connection's. */
export const setDocumentContextNotification = new NotificationType<SetDocumentContextParams>(
  SET_DOCUMENT_CONTEXT_METHOD,
);
