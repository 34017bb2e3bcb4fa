// Realistic host messages for the preview of the four analysis webviews (shapes from
// src/shared/analysisProtocol.ts and analysisData.ts). One failure text is hostile markup.

export const XSS = '<img src=x onerror="window.__pwned=1">';
/** A right-to-left override: shown bare, "invoice" + U+202E + "fdp.exe" reads "invoiceexe.pdf" and reverses what follows it. */
export const BIDI = 'invoice\u202efdp.exe';

const context = {
  connection: 'Snowflake · ANALYTICS_PROD',
  hasFields: true,
  syncs: [
    { syncId: '1043', label: `contacts_model ${BIDI} → salesforce`, primaryKey: 'contact_id' },
    { syncId: '2210', label: 'active_users → braze', primaryKey: 'user_id' },
    { syncId: '3307', label: 'accounts → hubspot', primaryKey: 'account_id' },
  ],
};

// Runs every 6 hours, newest last.
const base = Date.parse('2026-11-17T02:00:00Z');
const runStart = (i) => new Date(base + i * 6 * 3600_000).toISOString();
const RUNS = 28;

// ------------------------------------------------------------------ breakdown

const templates = [
  {
    template: 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded. (<n> of <n> used)',
    category: 'rate limit',
    failures: 1840,
    distinctTexts: 212,
    example: 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded. (100042 of 100000 used)',
    sampleRowIds: ['contact-0042', 'contact-1187'],
    firstSeen: runStart(2),
    lastSeen: runStart(27),
  },
  {
    template: 'HTTP 429 Too Many Requests: retry after <n>s',
    category: 'rate limit',
    failures: 312,
    distinctTexts: 18,
    example: 'HTTP 429 Too Many Requests: retry after 30s',
    sampleRowIds: ['contact-2001'],
    firstSeen: runStart(9),
    lastSeen: runStart(20),
  },
  {
    template: "INVALID_EMAIL_ADDRESS: Email: invalid email address: <str>",
    category: 'invalid data',
    failures: 406,
    distinctTexts: 406,
    example: 'INVALID_EMAIL_ADDRESS: Email: invalid email address: jane.doe@@example',
    sampleRowIds: ['contact-0911', 'contact-3310', 'contact-0077'],
    firstSeen: runStart(0),
    lastSeen: runStart(26),
  },
  {
    template: 'DUPLICATE_VALUE: duplicate value found: External_Id__c duplicates value on record with id: <id>',
    category: 'duplicates',
    failures: 97,
    distinctTexts: 97,
    example: 'DUPLICATE_VALUE: duplicate value found: External_Id__c duplicates value on record with id: 0035e00000AbCdE',
    sampleRowIds: ['contact-5120'],
    firstSeen: runStart(4),
    lastSeen: runStart(25),
  },
  {
    template: 'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record or <n> records',
    category: 'unexpected',
    failures: 64,
    distinctTexts: 3,
    example: 'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record or 200 records',
    sampleRowIds: ['contact-0042', 'contact-7781'],
    firstSeen: runStart(22),
    lastSeen: runStart(27),
  },
  {
    template: XSS,
    category: 'unexpected',
    failures: 7,
    distinctTexts: 1,
    example: `${XSS} (from the destination)`,
    sampleRowIds: [XSS],
    firstSeen: runStart(26),
    lastSeen: runStart(27),
  },
  {
    template: `Attachment ${BIDI} rejected`,
    category: 'unexpected',
    failures: 2,
    distinctTexts: 1,
    example: `Attachment ${BIDI} rejected by the destination`,
    sampleRowIds: [BIDI],
    firstSeen: runStart(27),
    lastSeen: runStart(27),
  },
];

const breakdownData = {
  source: 'changelog',
  totalFailures: templates.reduce((s, t) => s + t.failures, 0),
  distinctTexts: templates.reduce((s, t) => s + t.distinctTexts, 0),
  categories: [
    { name: 'unexpected', failures: 73, templates: 3, distinctTexts: 5, firstSeen: runStart(22), lastSeen: runStart(27), unexpected: true, pattern: '', source: null },
    { name: 'rate limit', failures: 2152, templates: 2, distinctTexts: 230, firstSeen: runStart(2), lastSeen: runStart(27), unexpected: false, pattern: 'limit exceeded|429|too many requests', source: 'default' },
    { name: 'invalid data', failures: 406, templates: 1, distinctTexts: 406, firstSeen: runStart(0), lastSeen: runStart(26), unexpected: false, pattern: 'invalid', source: 'settings' },
    { name: 'duplicates', failures: 97, templates: 1, distinctTexts: 97, firstSeen: runStart(4), lastSeen: runStart(25), unexpected: false, pattern: 'duplicate', source: 'workspace' },
  ],
  templates,
  problems: [
    { name: 'auth', pattern: '(unauthorized', origin: 'settings: syncLogs.errorCategories[3]', message: 'Invalid regular expression: /(unauthorized/: Unterminated group' },
    { name: `auth ${BIDI}`, pattern: `(${BIDI}`, origin: 'workspace: .vscode/sync-logs-categories.json', message: `Invalid regular expression: /(${BIDI}/: Unterminated group` },
  ],
  truncated: false,
};

const chartBuckets = Array.from({ length: RUNS }, (_, i) => ({ start: runStart(i), runs: 1, failedRuns: i === 11 || i === 23 ? 1 : 0, syncRunId: `r-${5000 + i}` }));
const wave = (i, a, b) => Math.max(0, Math.round(a + b * Math.sin(i / 2.3)));
const chart = {
  type: 'chart',
  view: {
    phase: 'ready',
    elapsedMs: 412,
    loadedAt: runStart(27),
    data: {
      unit: 'run',
      buckets: chartBuckets,
      series: [
        { category: 'rate limit', counts: chartBuckets.map((_, i) => (i < 2 ? 0 : wave(i, 80, 60))) },
        { category: 'invalid data', counts: chartBuckets.map((_, i) => wave(i, 15, 5)) },
        { category: 'duplicates', counts: chartBuckets.map((_, i) => (i % 3 === 0 ? 8 : 2)) },
        { category: 'unexpected', counts: chartBuckets.map((_, i) => (i >= 22 ? 12 : 0)) },
      ],
      capped: { runs: null, pairs: null },
    },
  },
};

const drill = {
  type: 'drill',
  selector: { category: 'unexpected' },
  view: {
    phase: 'ready',
    elapsedMs: 230,
    loadedAt: runStart(27),
    data: {
      truncated: false,
      textsUsed: 2,
      textsTotal: 5,
      rows: [
        { rowId: 'contact-0042', syncId: '1043', syncRunId: 'r-5027', startedAt: runStart(27), opType: 'changed', failureReason: 'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record or 200 records' },
        { rowId: 'contact-7781', syncId: '1043', syncRunId: 'r-5026', startedAt: runStart(26), opType: 'added', failureReason: `${XSS}\nsecond line of the destination's answer\n\t{"errorCode": "X"}` },
        { rowId: XSS, syncId: '1043', syncRunId: 'r-5026', startedAt: runStart(26), opType: 'changed', failureReason: XSS },
        { rowId: BIDI, syncId: '1043', syncRunId: `r-${BIDI}`, startedAt: runStart(26), opType: BIDI, failureReason: `Attachment ${BIDI} rejected` },
      ],
    },
  },
};

// ------------------------------------------------------------------ flapping

const activity = (seed, n = 14) => Array.from({ length: n }, (_, i) => ((i * 7 + seed * 3) % 5 === 0 ? 0 : ((i + seed) % 4) + 1));
const flappingRows = [
  { rowId: 'contact-0042', operations: 27, changes: 27, adds: 0, removes: 0, cycles: 0, failures: 3, ratePerRun: 27 / 28 },
  { rowId: 'contact-1187', operations: 22, changes: 18, adds: 2, removes: 2, cycles: 2, failures: 0, ratePerRun: 22 / 28 },
  { rowId: 'contact-5120', operations: 14, changes: 4, adds: 5, removes: 5, cycles: 5, failures: 1, ratePerRun: 14 / 28 },
  { rowId: 'contact-0911', operations: 11, changes: 11, adds: 0, removes: 0, cycles: 0, failures: 11, ratePerRun: 11 / 28 },
  { rowId: XSS, operations: 6, changes: 4, adds: 1, removes: 1, cycles: 1, failures: 0, ratePerRun: 6 / 28 },
  { rowId: BIDI, operations: 5, changes: 5, adds: 0, removes: 0, cycles: 0, failures: 0, ratePerRun: 5 / 28 },
  { rowId: 'contact-8803', operations: 4, changes: 2, adds: 1, removes: 1, cycles: 1, failures: 0, ratePerRun: 4 / 28 },
].map((r, i) => ({ ...r, firstRunAt: runStart(i), lastRunAt: runStart(27 - i), activity: activity(i) }));

// ------------------------------------------------------------------ timeline

const events = [
  { syncRunId: 'r-5003', opType: 'added', status: 'succeeded', movement: 'entered', failureReason: null, changes: null, fields: '{"contact_id":"contact-0042","email":"jane@example.com","score":12,"updated_at":"2026-11-17T20:00:01Z"}' },
  {
    syncRunId: 'r-5004',
    opType: 'changed',
    status: 'succeeded',
    movement: 'changed',
    failureReason: null,
    changes: [{ field: 'updated_at', kind: 'changed', before: '"2026-11-17T20:00:01Z"', after: '"2026-11-18T02:00:03Z"' }],
    fields: '{"contact_id":"contact-0042","email":"jane@example.com","score":12,"updated_at":"2026-11-18T02:00:03Z"}',
  },
  {
    syncRunId: 'r-5005',
    opType: 'changed',
    status: 'failed',
    movement: 'changed',
    failureReason: `REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.\n${XSS} ${BIDI}`,
    changes: [
      { field: 'score', kind: 'changed', before: '12', after: '14' },
      { field: 'updated_at', kind: 'changed', before: '"2026-11-18T02:00:03Z"', after: '"2026-11-18T08:00:02Z"' },
      { field: 'tier', kind: 'added', after: `"${XSS}"` },
      { field: `file ${BIDI}`, kind: 'changed', before: `"${BIDI}"`, after: '"invoice.pdf"' },
    ],
    fields: '{"contact_id":"contact-0042","email":"jane@example.com","score":14,"tier":"gold"}',
  },
  { syncRunId: `r-5009 ${BIDI}`, opType: `removed ${BIDI}`, status: 'succeeded', movement: 'exited', failureReason: null, changes: [{ field: 'tier', kind: 'removed', before: '"gold"' }], fields: null },
].map((e, i) => ({ ...e, syncId: '1043', startedAt: runStart(3 + i * 2) }));

// ------------------------------------------------------------------ model

let membership = 12_000;
const points = Array.from({ length: RUNS }, (_, i) => {
  const added = 40 + ((i * 37) % 90);
  const removed = 20 + ((i * 53) % 70);
  const changed = 300 + ((i * 97) % 400);
  const failed = i === 11 ? 220 : (i * 13) % 25;
  const aborted = i === 11 ? 180 : i === 19 ? 40 : 0;
  membership += added - removed;
  return {
    syncId: '1043',
    syncRunId: `r-${5000 + i}`,
    startedAt: runStart(i),
    status: i === 11 ? 'failed' : 'succeeded',
    error: i === 11 ? `Salesforce API: session expired or invalid (INVALID_SESSION_ID)\n${XSS} ${BIDI}` : null,
    added,
    changed,
    removed,
    failed,
    aborted,
    membership,
  };
});

// ------------------------------------------------------------------ the messages

const ready = (data) => ({ phase: 'ready', data, elapsedMs: 1840, loadedAt: runStart(27) });

export const fixtures = {
  breakdown: {
    state: { type: 'state', panel: 'breakdown', params: { syncId: '1043', syncRunId: null, source: 'changelog', days: 7 }, context, view: ready(breakdownData) },
    chart,
    drill,
  },
  flapping: {
    state: {
      type: 'state',
      panel: 'flapping',
      params: { syncId: '1043', days: 7, orderBy: 'operations' },
      context,
      view: ready({ runsInWindow: 28, rowsWithOperations: 4213, orderBy: 'operations', rows: flappingRows, buckets: chartBuckets.slice(0, 14), unit: 'run' }),
    },
  },
  timeline: {
    state: {
      type: 'state',
      panel: 'timeline',
      params: { rowId: 'contact-0042', syncId: '1043' },
      context,
      view: ready({
        rowId: 'contact-0042',
        syncId: '1043',
        hasFields: true,
        fieldsNote: null,
        events,
        truncated: false,
        snapshot: [
          { syncId: '1043', status: 'absent', opType: null },
          { syncId: '2210', status: 'failed', opType: 'changed' },
          { syncId: '3307', status: BIDI, opType: BIDI },
        ],
      }),
    },
  },
  model: {
    state: { type: 'state', panel: 'model', params: { syncId: '1043', days: 7 }, context, view: ready({ points, currentMembership: membership }) },
  },
};
