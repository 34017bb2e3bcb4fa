import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readSetting } from '../services/settingsReaders';
import { DEFAULT_HISTORY_SIZE, parseHistory, serializeHistory, withEntry, type HistoryEntry } from './historyEntries';

/** Which workspace a history belongs to: the .code-workspace file, else the first folder, else none. */
export function workspaceKey(): string {
  const id =
    vscode.workspace.workspaceFile?.toString() ??
    vscode.workspace.workspaceFolders?.[0]?.uri.toString() ??
    'no-workspace';
  return createHash('sha256').update(id).digest('hex').slice(0, 16);
}

/**
 * The query history of the open workspace, in the extension's global storage (one JSON Lines file
 * per workspace, so it survives a workspace without a folder and is never committed with it).
 * Loaded once, kept in memory, written whole after each change (it is bounded: at most
 * `maxEntries` small entries), one write at a time, through a temporary file so a crash mid-write
 * leaves the previous file.
 */
export class QueryHistory implements vscode.Disposable {
  private entries: HistoryEntry[] = [];
  private loaded: Promise<void> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly file: string;

  constructor(
    storageDir: string,
    private readonly log: vscode.LogOutputChannel,
    key = workspaceKey(),
  ) {
    this.file = join(storageDir, 'query-history', `${key}.jsonl`);
  }

  get enabled(): boolean {
    return readSetting('queryHistoryEnabled') !== false;
  }

  private get maxEntries(): number {
    const n = readSetting('queryHistoryMaxEntries');
    return Number.isInteger(n) && n >= 1 ? n : DEFAULT_HISTORY_SIZE;
  }

  private load(): Promise<void> {
    this.loaded ??= readFile(this.file, 'utf8').then(
      (text) => {
        const { entries, skipped } = parseHistory(text);
        this.entries = entries.slice(0, this.maxEntries);
        if (skipped) this.log.warn(`Query history: skipped ${skipped} damaged line(s) in ${this.file}.`);
      },
      (err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT')
          this.log.warn(`Query history: cannot read ${this.file} (${err.code ?? err.message}); starting empty.`);
      },
    );
    return this.loaded;
  }

  /** Newest first. */
  async list(): Promise<HistoryEntry[]> {
    await this.load();
    return [...this.entries];
  }

  async get(id: string): Promise<HistoryEntry | undefined> {
    await this.load();
    return this.entries.find((e) => e.id === id);
  }

  /** Records a run, unless history is turned off. */
  async add(entry: HistoryEntry): Promise<void> {
    if (!this.enabled) return;
    await this.load();
    this.entries = withEntry(this.entries, entry, this.maxEntries);
    await this.save();
  }

  async remove(id: string): Promise<void> {
    await this.load();
    this.entries = this.entries.filter((e) => e.id !== id);
    await this.save();
  }

  async clear(): Promise<void> {
    await this.load();
    this.entries = [];
    await this.save();
  }

  private save(): Promise<void> {
    const text = serializeHistory(this.entries);
    this.changed.fire();
    this.writing = this.writing.then(async () => {
      try {
        await mkdir(join(this.file, '..'), { recursive: true });
        const tmp = `${this.file}.tmp`;
        await writeFile(tmp, text, 'utf8');
        await rename(tmp, this.file);
      } catch (err) {
        this.log.warn(`Query history: cannot write ${this.file}: ${(err as Error).message}`);
      }
    });
    return this.writing;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
