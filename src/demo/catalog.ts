import type { ShapeId } from './fields';
import type { DestinationSlug } from './types';

/**
 * The demo workspace: which syncs exist, how big and how busy their models are, and the
 * incidents that make their history interesting to explore. Sizes are at scale 1.
 */

/** Every run ends before this instant, so output does not depend on the clock. */
export const DEMO_ANCHOR_ISO = '2026-11-01T00:00:00Z';

/** Rows per second a destination accepts, for realistic run durations. */
export const DESTINATION_THROUGHPUT: Record<DestinationSlug, number> = {
  salesforce: 180,
  hubspot: 90,
  braze: 1500,
  facebook_custom_audiences: 3000,
  google_ads: 900,
  iterable: 700,
  marketo: 120,
  mailchimp: 450,
};

export type Incident =
  /** Runs starting in [from, to) fail at planning with this error (`auth` = the destination's auth error). */
  | { kind: 'outage'; from: string; to: string; error: 'auth' | 'schema_drift' }
  /** In runs starting in [from, to), this share of attempted operations fails with the template. */
  | { kind: 'storm'; from: string; to: string; template: string; share: number }
  /** At the first run after `at`, this share of the model's rows changes at once (a backfill). */
  | { kind: 'backfill'; at: string; share: number }
  /** The first run after `at` is cancelled midway by a user. */
  | { kind: 'cancel'; at: string; by: string }
  /** No runs are scheduled in [from, to) (the sync was paused; `to` at the anchor: never resumed, a stale sync). */
  | { kind: 'pause'; from: string; to: string }
  /**
   * From `from` until `to` (someone fixed it; absent: not yet), the destination refuses every
   * attempt to write one of `share` of the rows the template's ops touch: such a row fails, is
   * retried each run and fails again (a stuck row) until the fix, when its next retry succeeds.
   * Rows not written meanwhile are spared, so the count of stuck rows grows run by run.
   */
  | { kind: 'sticky'; from: string; to?: string; template: string; share: number };

export interface SyncSpec {
  id: string;
  destination: DestinationSlug;
  modelName: string;
  /** The model's primary-key column; its value is `row_id`. */
  primaryKey: string;
  shape: ShapeId;
  schedule: string;
  intervalMinutes: number;
  /** Minutes after midnight UTC of the schedule's first slot each day. */
  offsetMinutes: number;
  /** The sync was created this many days before the anchor (its first run adds the whole model). */
  startDaysAgo: number;
  /** Model rows at scale 1 when the sync starts. */
  size: number;
  /** Relative growth of the model per day (audiences grow, some shrink). */
  growthPerDay: number;
  /** Share of the model's rows leaving per day; as many enter (plus growth). */
  exitPerDay: number;
  /** Share of the model's rows whose fields change per day. */
  changePerDay: number;
  /** Rows that enter/exit or change nearly every run: a data problem the flapping view should surface. */
  flappers: number;
  /** Share of attempted operations hit by a transient error in an ordinary run. */
  transientRate: number;
  /** Chance a run hits a burst of one storm-prone transient error. */
  stormChance: number;
  planningFailureRate: number;
  midwayFailureRate: number;
  /** First person index of this sync's pool at scale 1 (pools overlap, as audiences do). */
  poolOffset: number;
  /** Overrides of the destination's transient-error weights, so two syncs to one destination differ. */
  errorWeights?: Record<string, number>;
  incidents: readonly Incident[];
}

const CONSUMERS = 0;
const B2B = 5_000_000;
const ACCOUNTS = 9_000_000;

export const SYNC_SPECS: readonly SyncSpec[] = [
  {
    id: '48213',
    destination: 'salesforce',
    modelName: 'Active customers',
    primaryKey: 'customer_id',
    shape: 'contact',
    schedule: 'every 4 hours',
    intervalMinutes: 240,
    offsetMinutes: 20,
    startDaysAgo: 42,
    size: 9000,
    growthPerDay: 0.002,
    exitPerDay: 0.004,
    changePerDay: 0.02,
    flappers: 8,
    transientRate: 0.01,
    stormChance: 0.04,
    planningFailureRate: 0.006,
    midwayFailureRate: 0.008,
    poolOffset: B2B,
    incidents: [
      { kind: 'outage', from: '2026-10-09T14:00:00Z', to: '2026-10-10T03:00:00Z', error: 'auth' },
      { kind: 'backfill', at: '2026-10-06T02:00:00Z', share: 0.3 },
      {
        kind: 'storm',
        from: '2026-10-21T08:00:00Z',
        to: '2026-10-21T13:00:00Z',
        template: 'sf_request_limit',
        share: 0.55,
      },
      { kind: 'cancel', at: '2026-10-27T09:00:00Z', by: 'dana.whitfield@acme-retail.com' },
    ],
  },
  {
    id: '48377',
    destination: 'hubspot',
    modelName: 'Trial users - self-serve',
    primaryKey: 'email',
    shape: 'contact',
    schedule: 'every 2 hours',
    intervalMinutes: 120,
    offsetMinutes: 5,
    startDaysAgo: 38,
    size: 3000,
    growthPerDay: 0.006,
    exitPerDay: 0.03,
    changePerDay: 0.03,
    flappers: 6,
    transientRate: 0.015,
    stormChance: 0.04,
    planningFailureRate: 0.004,
    midwayFailureRate: 0.004,
    poolOffset: B2B + 20000,
    incidents: [
      { kind: 'outage', from: '2026-10-19T22:00:00Z', to: '2026-10-20T06:00:00Z', error: 'auth' },
      { kind: 'storm', from: '2026-10-25T15:00:00Z', to: '2026-10-25T18:00:00Z', template: 'hs_429', share: 0.7 },
      // On the last morning an admin made Persona a calculated property: a failure text the log has never seen.
      { kind: 'sticky', from: '2026-10-31T09:00:00Z', template: 'hs_persona_readonly', share: 0.12 },
    ],
  },
  {
    id: '49102',
    destination: 'braze',
    modelName: 'High LTV customers',
    primaryKey: 'user_id',
    shape: 'audience',
    schedule: 'hourly',
    intervalMinutes: 60,
    offsetMinutes: 0,
    startDaysAgo: 40,
    size: 7000,
    growthPerDay: 0.002,
    exitPerDay: 0.008,
    changePerDay: 0.015,
    flappers: 10,
    transientRate: 0.0075,
    stormChance: 0.03,
    planningFailureRate: 0.004,
    midwayFailureRate: 0.003,
    poolOffset: CONSUMERS,
    incidents: [
      { kind: 'storm', from: '2026-10-14T16:00:00Z', to: '2026-10-14T19:00:00Z', template: 'bz_500', share: 0.8 },
      { kind: 'backfill', at: '2026-10-22T03:00:00Z', share: 0.5 },
      // A new model column (predicted_ltv_90d) rewrote many rows; it was 'NaN' for some, which
      // Braze refused run after run until the model was fixed two days later: recovered rows.
      { kind: 'backfill', at: '2026-10-26T10:00:00Z', share: 0.4 },
      {
        kind: 'sticky',
        from: '2026-10-26T10:00:00Z',
        to: '2026-10-28T14:00:00Z',
        template: 'bz_attribute_type',
        share: 0.08,
      },
    ],
  },
  {
    id: '49655',
    destination: 'facebook_custom_audiences',
    modelName: 'Lookalike seed - purchasers 90d',
    primaryKey: 'email',
    shape: 'audience',
    schedule: 'daily',
    intervalMinutes: 1440,
    offsetMinutes: 360,
    startDaysAgo: 44,
    size: 15000,
    growthPerDay: 0.001,
    exitPerDay: 0.008,
    changePerDay: 0.006,
    flappers: 5,
    transientRate: 0.005,
    stormChance: 0.16,
    planningFailureRate: 0.01,
    midwayFailureRate: 0.02,
    poolOffset: CONSUMERS + 3000,
    incidents: [
      { kind: 'outage', from: '2026-10-18T00:00:00Z', to: '2026-10-20T00:00:00Z', error: 'auth' },
      // Paused during an ad-account migration and never resumed: a stale sync.
      { kind: 'pause', from: '2026-10-26T12:00:00Z', to: DEMO_ANCHOR_ISO },
    ],
  },
  {
    id: '50018',
    destination: 'google_ads',
    modelName: 'Cart abandoners - last 7 days',
    primaryKey: 'user_id',
    shape: 'audience',
    schedule: 'every 6 hours',
    intervalMinutes: 360,
    offsetMinutes: 45,
    startDaysAgo: 36,
    size: 4000,
    growthPerDay: 0,
    exitPerDay: 0.08,
    changePerDay: 0.02,
    flappers: 12,
    transientRate: 0.01,
    stormChance: 0.06,
    planningFailureRate: 0.006,
    midwayFailureRate: 0.006,
    poolOffset: CONSUMERS + 14000,
    incidents: [{ kind: 'outage', from: '2026-10-03T00:00:00Z', to: '2026-10-04T00:00:00Z', error: 'auth' }],
  },
  {
    id: '50231',
    destination: 'iterable',
    modelName: 'Onboarding - week 1',
    primaryKey: 'user_id',
    shape: 'audience',
    schedule: 'every 15 minutes',
    intervalMinutes: 15,
    offsetMinutes: 7,
    startDaysAgo: 33,
    size: 1200,
    growthPerDay: 0.008,
    exitPerDay: 0.14,
    changePerDay: 0.04,
    flappers: 4,
    transientRate: 0.015,
    stormChance: 0.02,
    planningFailureRate: 0.003,
    midwayFailureRate: 0.002,
    poolOffset: CONSUMERS + 30000,
    incidents: [
      { kind: 'pause', from: '2026-10-11T08:00:00Z', to: '2026-10-12T10:00:00Z' },
      { kind: 'storm', from: '2026-10-22T13:00:00Z', to: '2026-10-22T17:00:00Z', template: 'it_proxy', share: 0.9 },
      // A new SMS channel requires E.164 phone numbers and the model sends local ones for some
      // users: each run, the rows it adds or updates join the stuck ones. Not fixed yet. A few
      // (8%): the run's new failures stay under the 10% that reads as failing, so the overview
      // shows this sync's stuck rows rising rather than a failing sync.
      { kind: 'sticky', from: '2026-10-29T20:00:00Z', template: 'it_phone_format', share: 0.08 },
    ],
  },
  {
    id: '50744',
    destination: 'marketo',
    modelName: 'MQL leads',
    primaryKey: 'lead_id',
    shape: 'contact',
    schedule: 'every 4 hours',
    intervalMinutes: 240,
    offsetMinutes: 90,
    startDaysAgo: 41,
    size: 4500,
    growthPerDay: 0.003,
    exitPerDay: 0.01,
    changePerDay: 0.025,
    flappers: 6,
    transientRate: 0.0125,
    stormChance: 0.06,
    planningFailureRate: 0.005,
    midwayFailureRate: 0.02,
    poolOffset: B2B + 8000,
    incidents: [],
  },
  {
    id: '51120',
    destination: 'mailchimp',
    modelName: 'Newsletter - weekly digest',
    primaryKey: 'email',
    shape: 'subscriber',
    schedule: 'daily',
    intervalMinutes: 1440,
    offsetMinutes: 540,
    startDaysAgo: 45,
    size: 10000,
    growthPerDay: 0.003,
    exitPerDay: 0.003,
    changePerDay: 0.01,
    flappers: 5,
    transientRate: 0.005,
    stormChance: 0.1,
    planningFailureRate: 0.01,
    midwayFailureRate: 0.02,
    poolOffset: CONSUMERS + 9000,
    incidents: [{ kind: 'outage', from: '2026-10-07T00:00:00Z', to: '2026-10-08T12:00:00Z', error: 'schema_drift' }],
  },
  {
    id: '51487',
    destination: 'salesforce',
    modelName: 'Enterprise accounts',
    primaryKey: 'account_id',
    shape: 'account',
    schedule: 'every 12 hours',
    intervalMinutes: 720,
    offsetMinutes: 120,
    startDaysAgo: 43,
    size: 700,
    growthPerDay: 0.001,
    exitPerDay: 0.002,
    changePerDay: 0.03,
    flappers: 3,
    transientRate: 0.025,
    stormChance: 0.04,
    planningFailureRate: 0.01,
    midwayFailureRate: 0.01,
    poolOffset: ACCOUNTS,
    // Accounts are contended by sales reps: record locks dominate here, not request limits.
    errorWeights: { sf_lock: 12, sf_request_limit: 0.5 },
    incidents: [{ kind: 'cancel', at: '2026-10-16T10:00:00Z', by: 'li.wei@acme-retail.com' }],
  },
  {
    id: '52003',
    destination: 'braze',
    modelName: 'Churn risk - mobile app',
    primaryKey: 'user_id',
    shape: 'audience',
    schedule: 'every 2 hours',
    intervalMinutes: 120,
    offsetMinutes: 30,
    startDaysAgo: 31,
    size: 6000,
    growthPerDay: -0.002,
    exitPerDay: 0.04,
    changePerDay: 0.03,
    flappers: 8,
    transientRate: 0.01,
    stormChance: 0.04,
    planningFailureRate: 0.008,
    midwayFailureRate: 0.005,
    poolOffset: CONSUMERS + 6000,
    errorWeights: { bz_429: 1, bz_500: 4 },
    incidents: [],
  },
];
