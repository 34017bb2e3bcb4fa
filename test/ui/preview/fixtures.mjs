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
    rows: 212,
    failures: 1840,
    distinctTexts: 212,
    example: 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded. (100042 of 100000 used)',
    sampleRowIds: ['contact-0042', 'contact-1187'],
    firstSeen: runStart(-40),
    lastSeen: runStart(27),
    isNew: false,
  },
  {
    template: 'HTTP 429 Too Many Requests: retry after <n>s',
    category: 'rate limit',
    rows: 40,
    failures: 312,
    distinctTexts: 18,
    example: 'HTTP 429 Too Many Requests: retry after 30s',
    sampleRowIds: ['contact-2001'],
    firstSeen: runStart(-12),
    lastSeen: runStart(20),
    isNew: false,
  },
  {
    template: 'INVALID_EMAIL_ADDRESS: Email: invalid email address: <str>',
    category: 'invalid data',
    rows: 406,
    failures: 406,
    distinctTexts: 406,
    example: 'INVALID_EMAIL_ADDRESS: Email: invalid email address: jane.doe@@example',
    sampleRowIds: ['contact-0911', 'contact-3310', 'contact-0077'],
    firstSeen: runStart(-100),
    lastSeen: runStart(26),
    isNew: false,
  },
  {
    template: 'DUPLICATE_VALUE: duplicate value found: External_Id__c duplicates value on record with id: <id>',
    category: 'duplicates',
    rows: 97,
    failures: 97,
    distinctTexts: 97,
    example:
      'DUPLICATE_VALUE: duplicate value found: External_Id__c duplicates value on record with id: 0035e00000AbCdE',
    sampleRowIds: ['contact-5120'],
    firstSeen: runStart(-30),
    lastSeen: runStart(25),
    isNew: false,
  },
  {
    template: 'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record or <n> records',
    category: 'unexpected',
    rows: 9,
    failures: 64,
    distinctTexts: 3,
    example: 'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record or 200 records',
    sampleRowIds: ['contact-0042', 'contact-7781'],
    firstSeen: runStart(22),
    lastSeen: runStart(27),
    isNew: true,
  },
  {
    template: XSS,
    category: 'unexpected',
    rows: 7,
    failures: 7,
    distinctTexts: 1,
    example: `${XSS} (from the destination)`,
    sampleRowIds: [XSS],
    firstSeen: runStart(26),
    lastSeen: runStart(27),
    isNew: true,
  },
  {
    template: `Attachment ${BIDI} rejected`,
    category: 'unexpected',
    rows: 1,
    failures: 2,
    distinctTexts: 1,
    example: `Attachment ${BIDI} rejected by the destination`,
    sampleRowIds: [BIDI],
    firstSeen: runStart(27),
    lastSeen: runStart(27),
    isNew: true,
  },
];

// The window of the fixture's params (7 days before the newest run): the new templates' first seen falls in it.
const windowStart = new Date(Date.parse(runStart(27)) - 7 * 86_400_000).toISOString();
// Rows of a category count a row once across its templates (rate limit: 212 + 40 - 12 shared);
// one row failed in two categories (rate limit and a lock), so the total is the categories' sum less one.
const breakdownData = {
  source: 'changelog',
  totalRows: 17 + 240 + 406 + 97 - 1,
  totalFailures: templates.reduce((s, t) => s + t.failures, 0),
  rowsUpperBound: false,
  windowStart,
  history: { truncated: false },
  distinctTexts: templates.reduce((s, t) => s + t.distinctTexts, 0),
  categories: [
    {
      name: 'unexpected',
      rows: 17,
      failures: 73,
      templates: 3,
      distinctTexts: 5,
      firstSeen: runStart(22),
      lastSeen: runStart(27),
      unexpected: true,
      pattern: '',
      source: null,
    },
    {
      name: 'rate limit',
      rows: 240,
      failures: 2152,
      templates: 2,
      distinctTexts: 230,
      firstSeen: runStart(-40),
      lastSeen: runStart(27),
      unexpected: false,
      pattern: 'limit exceeded|429|too many requests',
      source: 'default',
    },
    {
      name: 'invalid data',
      rows: 406,
      failures: 406,
      templates: 1,
      distinctTexts: 406,
      firstSeen: runStart(-100),
      lastSeen: runStart(26),
      unexpected: false,
      pattern: 'invalid',
      source: 'settings',
    },
    {
      name: 'duplicates',
      rows: 97,
      failures: 97,
      templates: 1,
      distinctTexts: 97,
      firstSeen: runStart(-30),
      lastSeen: runStart(25),
      unexpected: false,
      pattern: 'duplicate',
      source: 'workspace',
    },
  ],
  templates,
  problems: [
    {
      name: 'auth',
      pattern: '(unauthorized',
      origin: 'settings: syncLogs.errorCategories[3]',
      message: 'Invalid regular expression: /(unauthorized/: Unterminated group',
    },
    {
      name: `auth ${BIDI}`,
      pattern: `(${BIDI}`,
      origin: 'workspace: .vscode/sync-logs-categories.json',
      message: `Invalid regular expression: /(${BIDI}/: Unterminated group`,
    },
  ],
  truncated: false,
};

const chartBuckets = Array.from({ length: RUNS }, (_, i) => ({
  start: runStart(i),
  runs: 1,
  failedRuns: i === 11 || i === 23 ? 1 : 0,
  syncRunId: `r-${5000 + i}`,
}));
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
        {
          rowId: 'contact-0042',
          syncId: '1043',
          syncRunId: 'r-5027',
          startedAt: runStart(27),
          opType: 'changed',
          failureReason: 'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record or 200 records',
        },
        {
          rowId: 'contact-7781',
          syncId: '1043',
          syncRunId: 'r-5026',
          startedAt: runStart(26),
          opType: 'added',
          failureReason: `${XSS}\nsecond line of the destination's answer\n\t{"errorCode": "X"}`,
        },
        {
          rowId: XSS,
          syncId: '1043',
          syncRunId: 'r-5026',
          startedAt: runStart(26),
          opType: 'changed',
          failureReason: XSS,
        },
        {
          rowId: BIDI,
          syncId: '1043',
          syncRunId: `r-${BIDI}`,
          startedAt: runStart(26),
          opType: BIDI,
          failureReason: `Attachment ${BIDI} rejected`,
        },
      ],
    },
  },
};

// ------------------------------------------------------------------ flapping

const activity = (seed, n = 14) =>
  Array.from({ length: n }, (_, i) => ((i * 7 + seed * 3) % 5 === 0 ? 0 : ((i + seed) % 4) + 1));
// In the panel's default order (flapping = changes + min(entries, exits), retries apart); the last row only retries.
const flappingRow = (rowId, operations, retries, changes, entries, exits, failures) => {
  const cycles = Math.min(entries, exits);
  return {
    rowId,
    operations,
    retries,
    changes,
    entries,
    exits,
    cycles,
    flapping: changes + cycles,
    failures,
    ratePerRun: (changes + cycles) / 28,
  };
};
const flappingRows = [
  flappingRow('contact-0042', 30, 3, 27, 0, 0, 3),
  flappingRow('contact-1187', 22, 0, 18, 2, 2, 0),
  flappingRow('contact-5120', 16, 2, 4, 5, 5, 1),
  flappingRow(XSS, 6, 0, 4, 1, 1, 0),
  flappingRow(BIDI, 5, 0, 5, 0, 0, 0),
  flappingRow('contact-8803', 4, 0, 2, 1, 1, 0),
  flappingRow('contact-0911', 28, 27, 0, 0, 0, 28),
].map((r, i) => ({ ...r, firstRunAt: runStart(i), lastRunAt: runStart(27 - i), activity: activity(i) }));

const stuck = {
  minFailures: 3,
  stuckRows: 41,
  stuck: [
    {
      rowId: 'contact-0911',
      consecutiveFailures: 28,
      failingSince: runStart(0),
      lastFailedAt: runStart(27),
      template: `INVALID_EMAIL_ADDRESS: Email: invalid email address: <value> ${XSS}`,
    },
    {
      rowId: BIDI,
      consecutiveFailures: 9,
      failingSince: runStart(19),
      lastFailedAt: runStart(27),
      template: `Field '${BIDI}' not found`,
    },
    {
      rowId: 'contact-7001',
      consecutiveFailures: 3,
      failingSince: runStart(25),
      lastFailedAt: runStart(27),
      template: null,
    },
  ],
  recoveredRows: 2,
  recovered: [
    {
      rowId: 'contact-5120',
      failures: 6,
      failingSince: runStart(10),
      recoveredAt: runStart(16),
      recoverMs: 6 * 6 * 3600_000,
    },
    {
      rowId: 'contact-6400',
      failures: 3,
      failingSince: runStart(20),
      recoveredAt: runStart(23),
      recoverMs: 3 * 6 * 3600_000,
    },
  ],
};

// ------------------------------------------------------------------ timeline

// Events oldest first, as buildTimeline (src/analysis/rowTimeline.ts) makes them: a row added,
// changed, failed a change, left (an op_type the schema does not name), then its add was
// rejected four runs in a row; entries fold those four; the summary says failing since the first.
const dup = (id) => `DUPLICATE_VALUE: duplicate value found: Email__c duplicates value on record with id: ${id}`;
const retry = (syncRunId, id) => ({
  syncRunId,
  opType: 'added',
  status: 'failed',
  outcome: 'add-failed',
  label: 'add failed: not in the destination',
  failureReason: dup(id),
  changes: [],
  fields: '{"contact_id":"contact-0042","email":"jane@example.com","score":14}',
});
const events = [
  {
    syncRunId: 'r-5003',
    opType: 'added',
    status: 'succeeded',
    outcome: 'added',
    label: 'added to the destination',
    failureReason: null,
    changes: null,
    fields: '{"contact_id":"contact-0042","email":"jane@example.com","score":12,"updated_at":"2026-11-17T20:00:01Z"}',
  },
  {
    syncRunId: 'r-5004',
    opType: 'changed',
    status: 'succeeded',
    outcome: 'changed',
    label: 'changed in the destination',
    failureReason: null,
    changes: [
      { field: 'updated_at', kind: 'changed', before: '"2026-11-17T20:00:01Z"', after: '"2026-11-18T02:00:03Z"' },
    ],
    fields: '{"contact_id":"contact-0042","email":"jane@example.com","score":12,"updated_at":"2026-11-18T02:00:03Z"}',
  },
  {
    syncRunId: 'r-5005',
    opType: 'changed',
    status: 'failed',
    outcome: 'change-failed',
    label: 'change failed: the destination keeps the old values',
    failureReason: `REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.\n${XSS} ${BIDI}`,
    changes: [
      { field: 'score', kind: 'changed', before: '12', after: '14' },
      { field: 'updated_at', kind: 'changed', before: '"2026-11-18T02:00:03Z"', after: '"2026-11-18T08:00:02Z"' },
      { field: 'tier', kind: 'added', after: `"${XSS}"` },
      { field: `file ${BIDI}`, kind: 'changed', before: `"${BIDI}"`, after: '"invoice.pdf"' },
    ],
    fields: '{"contact_id":"contact-0042","email":"jane@example.com","score":14,"tier":"gold"}',
  },
  {
    syncRunId: `r-5009 ${BIDI}`,
    opType: `removed ${BIDI}`,
    status: 'succeeded',
    outcome: 'other',
    label: `removed ${BIDI}: succeeded`,
    failureReason: null,
    changes: [{ field: 'tier', kind: 'removed', before: '"gold"' }],
    fields: null,
  },
  retry('r-5011', '0035e00000AbCdEfG'),
  retry('r-5013', '0035e00000XyZaBcD'),
  retry('r-5015', '0035e00000AbCdEfG'),
  retry('r-5017', '0035e00000AbCdEfG'),
].map((e, i) => ({ ...e, syncId: '1043', startedAt: runStart(3 + i * 2) }));

const entryOf = (indices, extra = {}) => {
  const first = events[indices[0]];
  const last = events[indices.at(-1)];
  const reasons = new Set(indices.map((i) => events[i].failureReason).filter((r) => r !== null));
  return {
    syncId: first.syncId,
    opType: first.opType,
    status: first.status,
    outcome: first.outcome,
    label: first.label,
    count: indices.length,
    firstStartedAt: first.startedAt,
    lastStartedAt: last.startedAt,
    template: null,
    distinctReasons: reasons.size,
    fieldChanges: indices.filter((i) => events[i].changes?.length).length,
    events: indices,
    ...extra,
  };
};
// Newest first.
const entries = [
  entryOf([4, 5, 6, 7], { template: dup('<id>') }),
  entryOf([3]),
  entryOf([2], { template: 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded. <value>' }),
  entryOf([1]),
  entryOf([0]),
];
const summaries = [
  {
    syncId: '1043',
    inModel: true,
    snapshotStatus: 'failed',
    snapshotOpType: 'added',
    inDestination: false,
    since: null,
    neverAdded: false,
    failing: {
      since: events[4].startedAt,
      attempts: 4,
      outcome: 'add-failed',
      templates: 1,
      latestReason: events[7].failureReason,
    },
    cut: false,
  },
  {
    syncId: '2210',
    inModel: true,
    snapshotStatus: 'failed',
    snapshotOpType: 'changed',
    inDestination: true,
    since: null,
    neverAdded: false,
    failing: null,
    cut: false,
  },
  {
    syncId: '3307',
    inModel: true,
    snapshotStatus: BIDI,
    snapshotOpType: BIDI,
    inDestination: null,
    since: null,
    neverAdded: false,
    failing: null,
    cut: false,
  },
];

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

// A model's first load (50,000 adds) followed by runs of 20-80 operations: the outlier that used
// to set the linear axis so every other run was a sliver. Run 9 failed, run 14 aborted some.
let outlierMembership = 0;
const outlierPoints = Array.from({ length: RUNS }, (_, i) => {
  const added = i === 0 ? 50_000 : 5 + ((i * 7) % 20);
  const changed = i === 0 ? 0 : 10 + ((i * 11) % 40);
  const removed = i === 0 ? 0 : 5 + ((i * 5) % 20);
  outlierMembership += added - removed;
  return {
    syncId: '1043',
    syncRunId: `r-${6000 + i}`,
    startedAt: runStart(i),
    status: i === 9 ? 'failed' : 'succeeded',
    error: i === 9 ? 'Salesforce API: session expired or invalid (INVALID_SESSION_ID)' : null,
    added,
    changed,
    removed,
    failed: i === 0 ? 120 : i === 9 ? 30 : (i * 3) % 7,
    aborted: i === 14 ? 12 : 0,
    membership: outlierMembership,
  };
});

// ------------------------------------------------------------------ the messages

const ready = (data) => ({ phase: 'ready', data, elapsedMs: 1840, loadedAt: runStart(27) });

export const fixtures = {
  breakdown: {
    state: {
      type: 'state',
      panel: 'breakdown',
      params: { syncId: '1043', syncRunId: null, source: 'changelog', days: 7 },
      context,
      view: ready(breakdownData),
    },
    chart,
    drill,
  },
  flapping: {
    state: {
      type: 'state',
      panel: 'flapping',
      params: { syncId: '1043', days: 7, orderBy: 'flapping' },
      context,
      view: ready({
        runsInWindow: 28,
        rowsWithOperations: 4213,
        orderBy: 'flapping',
        rows: flappingRows,
        buckets: chartBuckets.slice(0, 14),
        unit: 'run',
        stuck,
      }),
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
        entries,
        summaries,
        truncated: false,
        oldestLoadedAt: events[0].startedAt,
        snapshot: [
          { syncId: '1043', status: 'failed', opType: 'added' },
          { syncId: '2210', status: 'failed', opType: 'changed' },
          { syncId: '3307', status: BIDI, opType: BIDI },
        ],
      }),
    },
  },
  model: {
    state: {
      type: 'state',
      panel: 'model',
      params: { syncId: '1043', days: 7 },
      context,
      view: ready({ points, currentMembership: membership }),
    },
    outlier: {
      type: 'state',
      panel: 'model',
      params: { syncId: '1043', days: 7 },
      context,
      view: ready({ points: outlierPoints, currentMembership: outlierMembership }),
    },
  },
};
