import type { QueryRunner } from '../loaders/queryRunner';
import type { Dialect, SqlQuery } from '../sql/dialect';
import type {
  AnalysisWebviewMessage,
  ChartMessage,
  DataOf,
  DrillMessage,
  PanelContext,
  PanelKind,
  ParamsOf,
  Phase,
  RunRowsMessage,
} from '../shared/analysisProtocol';

/** Messages besides the state that a load's follow-ups post (the breakdown's chart, a drill-down). */
export type ExtraMessage = ChartMessage | DrillMessage | RunRowsMessage;

/**
 * One load of a panel and everything that follows from it: the follow-up queries and the
 * drill-downs its answer allows. Each piece of work runs under the load's generation: a newer
 * load, Cancel or closing the panel cancels it in the warehouse and drops whatever it would
 * have shown.
 */
export interface LoadSession<K extends PanelKind> {
  readonly params: ParamsOf[K];
  readonly context: PanelContext;
  /** False once a newer load replaced this one (or the panel closed). */
  readonly current: boolean;
  /** Replaces the data shown (a follow-up refined it), if this load is still the one shown. */
  update(data: DataOf[K]): void;
  /**
   * Runs `work` on the panel's connection and posts its phases (loading, then ready, empty,
   * error or cancelled) as the message `send` builds.
   */
  task<T>(
    send: (view: Phase<T>) => ExtraMessage,
    work: (run: QueryRunner) => Promise<T | { empty: string }>,
  ): Promise<void>;
  /** Runs `work` on the panel's connection; a failure is logged and leaves what is shown. */
  quiet(work: (run: QueryRunner) => Promise<void>): Promise<void>;
}

/** What a driver's load answers: the data, the follow-ups to run once it shows, and its messages. */
export interface Loaded<K extends PanelKind> {
  data: DataOf[K];
  /** Run after the data is shown, in parallel, under the same generation and cancel. */
  followUps?: ((session: LoadSession<K>) => Promise<void>)[];
  /** The panel-specific messages (drill-downs) this answer can serve. */
  onMessage?(message: AnalysisWebviewMessage, session: LoadSession<K>): Promise<void> | void;
}

export type LoadAnswer<K extends PanelKind> = Loaded<K> | { empty: string };

/** What differs between the panels: how to load, label and key them. */
export interface PanelDriver<K extends PanelKind> {
  kind: K;
  /** Panels with the same key are one panel: opening it again reveals and reloads it. */
  key(params: ParamsOf[K]): string;
  /** The scope in the tab title, e.g. the sync's model name. */
  scopeLabel(params: ParamsOf[K], context: PanelContext): string;
  /** Returns the data (and its follow-ups), or a sentence saying why there is nothing to show. */
  load(run: QueryRunner, params: ParamsOf[K], context: PanelContext): Promise<LoadAnswer<K>>;
  /** Whether params can run a query at all (the timeline needs a row id first). */
  idleReason?(params: ParamsOf[K]): string | undefined;
}

/** A query a panel ran, kept so "Show SQL" can open exactly what the panel shows. */
export interface RecordedQuery {
  query: SqlQuery;
  /** Which part of the panel's work ran it: the load, a follow-up, a drill-down. */
  stage: string;
  /** The dialect it was written in (the connection may change before Show SQL is used). */
  dialect: Dialect;
}

/**
 * The queries of one load: replaced by a newer load, appended to by that load's follow-ups and
 * drill-downs. Values are copied at the time of the call: a builder's array is never shared.
 */
export class QueryRecord {
  private readonly list: RecordedQuery[] = [];
  constructor(readonly generation: number) {}

  get queries(): readonly RecordedQuery[] {
    return this.list;
  }

  /** A runner that records each query before it runs it, failed and cancelled ones included. */
  wrap(run: QueryRunner, stage: string): QueryRunner {
    return {
      loc: run.loc,
      signal: run.signal,
      rows: (query, maxRows) => {
        this.list.push({ query: { text: query.text, values: [...query.values] }, stage, dialect: run.loc.dialect });
        return run.rows(query, maxRows);
      },
    };
  }
}
