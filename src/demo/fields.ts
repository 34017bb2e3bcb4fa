import { hash32, pickBy } from './random';
import { isoSeconds } from './time';
import type { Person } from './people';

/**
 * What a model row's `fields` JSON looks like. Values are a pure function of the person,
 * the row's version and the time that version appeared, so the generator only stores a
 * version number per row. Each new version changes one to three dynamic fields (plus
 * `updated_at`), which is what a `changed` operation looks like in a real changelog.
 */
export type ShapeId = 'contact' | 'account' | 'audience' | 'subscriber';

interface DynamicField {
  name: string;
  /** `epoch` counts how often this field changed so far; `h` is a hash of (person, field, epoch). */
  value(person: Person, epoch: number, h: number): unknown;
}

interface FieldShape {
  /** Fields that never change for a person, in output order. */
  staticFields(person: Person): Array<[string, unknown]>;
  dynamic: readonly DynamicField[];
}

const money = (cents: number): number => Math.round(cents) / 100;
const REPS = ['avery.jones', 'blake.kim', 'casey.rivera', 'devon.shah', 'emery.clark'];
const PLANS = ['free', 'starter', 'pro', 'business', 'enterprise'];
const STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
];
const INDUSTRIES = ['Retail', 'Healthcare', 'Financial Services', 'Logistics', 'Media', 'Manufacturing', 'Software'];
const TAGS = ['weekly-digest', 'vip', 'promo', 'product-updates', 'webinar-2026', 'churn-winback'];

const SHAPES: Record<ShapeId, FieldShape> = {
  contact: {
    staticFields: (p) => [
      ['email', p.email],
      ['first_name', p.firstName],
      ['last_name', p.lastName],
      ['company', p.company],
      ['title', p.title],
      ['country', p.country],
      ['created_at', isoSeconds(p.createdAt)],
    ],
    dynamic: [
      { name: 'lifecycle_stage', value: (_p, _e, h) => pickBy(STAGES, h) },
      { name: 'lead_score', value: (_p, _e, h) => h % 101 },
      { name: 'ltv', value: (p, e, h) => money((p.index % 50) * 2000 + e * 4150 + (h % 3000)) },
      { name: 'plan', value: (_p, _e, h) => pickBy(PLANS, h) },
      { name: 'owner_email', value: (_p, _e, h) => `${pickBy(REPS, h)}@acme-retail.com` },
      { name: 'email_opt_in', value: (_p, _e, h) => h % 5 !== 0 },
    ],
  },
  account: {
    staticFields: (p) => [
      ['name', `${p.company} ${p.city} ${p.index % 1000}`],
      ['domain', `${p.company.toLowerCase().replace(/[^a-z]/g, '')}${p.index}.com`],
      ['industry', pickBy(INDUSTRIES, hash32(p.index, 71))],
      ['employee_count', 20 + (hash32(p.index, 72) % 20000)],
      ['country', p.country],
      ['created_at', isoSeconds(p.createdAt)],
    ],
    dynamic: [
      { name: 'arr', value: (_p, _e, h) => 12000 + (h % 480) * 1000 },
      { name: 'plan', value: (_p, _e, h) => pickBy(PLANS.slice(2), h) },
      { name: 'health_score', value: (_p, _e, h) => h % 101 },
      { name: 'open_opportunities', value: (_p, _e, h) => h % 6 },
      { name: 'owner_email', value: (_p, _e, h) => `${pickBy(REPS, h)}@acme-retail.com` },
      { name: 'renewal_date', value: (_p, _e, h) => `2027-${String(1 + (h % 12)).padStart(2, '0')}-01` },
    ],
  },
  audience: {
    staticFields: (p) => [
      ['email', p.email],
      ['phone', p.phone],
      ['first_name', p.firstName],
      ['last_name', p.lastName],
      ['country', p.country],
      ['city', p.city],
      ['created_at', isoSeconds(p.createdAt)],
    ],
    dynamic: [
      { name: 'plan', value: (_p, _e, h) => pickBy(PLANS, h) },
      { name: 'ltv', value: (p, e, h) => money((p.index % 40) * 2500 + e * 3900 + (h % 2500)) },
      { name: 'orders_count', value: (p, e, h) => (p.index % 9) + e + (h % 2) },
      { name: 'days_since_last_order', value: (_p, _e, h) => h % 120 },
      { name: 'churn_risk', value: (_p, _e, h) => pickBy(['low', 'low', 'medium', 'high'], h) },
      { name: 'push_opt_in', value: (_p, _e, h) => h % 3 !== 0 },
      { name: 'sessions_30d', value: (_p, _e, h) => h % 61 },
    ],
  },
  subscriber: {
    staticFields: (p) => [
      ['email', p.email],
      ['first_name', p.firstName],
      ['last_name', p.lastName],
      ['country', p.country],
      ['created_at', isoSeconds(p.createdAt)],
    ],
    dynamic: [
      { name: 'tags', value: (_p, _e, h) => TAGS.filter((_t, i) => (h >>> (i * 3)) % 3 === 0) },
      { name: 'newsletter_opt_in', value: (_p, _e, h) => h % 7 !== 0 },
      { name: 'ltv', value: (p, e, h) => money((p.index % 30) * 1500 + e * 2100 + (h % 1500)) },
      { name: 'open_rate_90d', value: (_p, _e, h) => (h % 1000) / 1000 },
    ],
  },
};

const epochScratch = new Int32Array(16);

interface EpochMemo {
  version: number;
  epochs: Int32Array;
}
/** Flapping rows reach thousands of versions; remembering their epochs keeps each op O(1), not O(version). */
const epochMemo = new Map<number, Map<number, EpochMemo>>();
const MEMO_FROM_VERSION = 16;
const MEMO_MAX_ROWS = 4096;

/** How often each dynamic field changed up to `version`: version k changes 1 to 3 fields. */
function fieldEpochs(count: number, salt: number, personIndex: number, version: number): Int32Array {
  let from = 1;
  let memo: EpochMemo | undefined;
  let bySalt: Map<number, EpochMemo> | undefined;
  if (version >= MEMO_FROM_VERSION) {
    bySalt = epochMemo.get(salt);
    if (!bySalt) {
      if (epochMemo.size > 64) epochMemo.clear();
      bySalt = new Map();
      epochMemo.set(salt, bySalt);
    }
    memo = bySalt.get(personIndex);
  }
  if (memo && memo.version <= version) {
    epochScratch.set(memo.epochs);
    from = memo.version + 1;
  } else {
    epochScratch.fill(0, 0, count);
  }
  for (let k = from; k <= version; k++) {
    const h = hash32(salt, personIndex, k, 0x9a);
    const changes = h % 10 < 6 ? 1 : h % 10 < 9 ? 2 : 3;
    for (let c = 0; c < changes; c++) epochScratch[(h >>> (8 + c * 6)) % count]++;
  }
  if (bySalt) {
    if (!memo) {
      if (bySalt.size >= MEMO_MAX_ROWS) bySalt.clear();
      memo = { version, epochs: new Int32Array(count) };
      bySalt.set(personIndex, memo);
    }
    memo.version = version;
    memo.epochs.set(epochScratch.subarray(0, count));
  }
  return epochScratch;
}

/** A JSON string literal; the common case (nothing to escape) skips JSON.stringify. */
function jsonString(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Control characters, quote, backslash and surrogates take the careful path.
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}

function jsonValue(v: unknown): string {
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/**
 * The model row as JSON text, written directly (it is the generator's hot path). The
 * primary-key column comes first and holds `rowId`; `updatedAtSeconds` is when this version
 * of the row appeared in the warehouse.
 */
export function fieldsJson(
  shapeId: ShapeId,
  primaryKey: string,
  rowId: string,
  person: Person,
  version: number,
  updatedAtSeconds: number,
  salt: number,
): string {
  const shape = SHAPES[shapeId];
  // Column names are plain identifiers: they need no escaping.
  let out = `{"${primaryKey}":${jsonString(rowId)}`;
  for (const [name, value] of shape.staticFields(person)) {
    if (name !== primaryKey) out += `,"${name}":${jsonValue(value)}`;
  }
  const epochs = fieldEpochs(shape.dynamic.length, salt, person.index, version);
  const dynamic = shape.dynamic;
  for (let i = 0; i < dynamic.length; i++) {
    const value = dynamic[i].value(person, epochs[i], hash32(salt, person.index, i, epochs[i]));
    out += `,"${dynamic[i].name}":${jsonValue(value)}`;
  }
  out += `,"updated_at":"${isoSeconds(updatedAtSeconds)}"}`;
  // Reading a character flattens V8's concatenation tree into one string: batches survive
  // several garbage collections, and one flat string is far cheaper to keep than ~30 pieces.
  out.charCodeAt(0);
  return out;
}
