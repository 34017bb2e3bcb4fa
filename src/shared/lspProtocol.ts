/**
 * Custom LSP messages between the extension (client) and the language server, declared once
 * here and imported by both sides. Plain strings and types: no `vscode` import.
 */
import type { Catalog, SqlDialect } from '../server/schemaModel';

/** Client → server notification: the active connection's dialect, schema and (when read) catalog. */
export const SET_CONTEXT_METHOD = 'syncLogs/setContext';

export interface SetContextParams {
  dialect: SqlDialect;
  schema: string;
  catalog?: Catalog;
}
