/**
 * The built-in error categories as data: names and patterns, first match wins. Compiled and merged
 * with the user's in analysis/errorCategories.ts; the charts' fixed colours (chartColors.ts) follow
 * the names' order. Here, in shared, so the webviews read the names without the analysis code.
 */

/**
 * A status or vendor code as a token of its own: not digits inside an id (a request id
 * `...-4429-...` or `req_429x`) nor inside a decimal (`1.429`). `\b` alone took the 429 in
 * `request id 9b72-429-...` for a rate limit, and filed a 500 as one.
 */
const code = (codes: string): string => String.raw`(?<![\w-]|\d\.)(?:${codes})(?![\w-]|\.\d)`;

/**
 * The defaults (ARCHITECTURE.md, "Default error categories"), first match wins. A pattern
 * naming a specific cause goes before a generic word it contains: an ad account's throttle
 * before rate limits (Facebook's texts link to a "rate-limiting" page), rate limits before the
 * generic 5xx codes, duplicates before not-found, and a missing field or column (schema drift:
 * `1006: Field 'Lead_Score__c' not found`) before not-found. Codes are matched as codes (see `code`).
 */
export const DEFAULT_PATTERNS: readonly (readonly [name: string, pattern: string])[] = [
  ['ad_account_throttle', String.raw`too many calls (from|to) this ad.?account|${code('613|80000|80003')}`],
  ['rate_limit', String.raw`${code('429|606')}|too many requests|rate.?limit|throttl|REQUEST_LIMIT_EXCEEDED`],
  ['daily_quota', String.raw`daily (limit|quota)|quota (exceeded|reached)|${code('607')}`],
  [
    'auth_expired',
    String.raw`invalid_grant|token.*expired|expired.*token|INVALID_SESSION_ID|EXPIRED_AUTHENTICATION|refresh token|${code('401|601|602')}`,
  ],
  ['bad_credentials', String.raw`invalid (api key|credentials|client secret)|INVALID_LOGIN|auth(entication)? fail`],
  ['permission', String.raw`${code('403|603')}|forbidden|permission denied|access denied|USER_PERMISSION_DENIED`],
  ['invalid_email', String.raw`INVALID_EMAIL|invalid email|looks fake or invalid|not a valid email`],
  [
    'required_missing',
    String.raw`REQUIRED_FIELD_MISSING|required field|cannot be blank|should not be blank|${code('1002|701')}`,
  ],
  [
    'invalid_value',
    String.raw`INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST|STRING_TOO_LONG|Property values were not valid|invalid (value|data|type)|INVALID_ARGUMENT|${code('1001|1003')}`,
  ],
  ['validation_rule', String.raw`FIELD_CUSTOM_VALIDATION_EXCEPTION|validation rule`],
  [
    'duplicate',
    String.raw`DUPLICATE_VALUE|DUPLICATES_DETECTED|already exists|already a list member|${code('409|1005|1007')}|Existing ID|multiple leads match`,
  ],
  // The quoted name is bounded and quote-free, so "Field 'Email' is invalid; record 'x' not found" is not drift.
  [
    'schema_drift',
    String.raw`QUERY_COLUMN_MISSING|WAREHOUSE_TABLE_MISSING|DUPLICATE_COLUMNS_DETECTED|INVALID_FIELD\b|PROPERTY_DOESNT_EXIST|no such column|field ['"][^'"]{1,200}['"] not found|${code('1006')}`,
  ],
  ['not_found', String.raw`${code('404|1004')}|not found|does not exist|ENTITY_IS_DELETED|INVALID_CROSS_REFERENCE_KEY`],
  [
    'record_locked',
    String.raw`UNABLE_TO_LOCK_ROW|exclusive access|CONCURRENT_MODIFICATION|lock wait|${code('615|719')}`,
  ],
  ['too_large', String.raw`${code('413')}|payload too large|entity too large|TOO_MANY_USER_IDENTIFIERS`],
  ['missing_identifier', String.raw`NULL_EXTERNAL_ID|missing (user )?identifier|MISSING_USER_IDS`],
  ['duplicate_pk', String.raw`(DUPLICATE|NON_UNIQUE)_PRIMARY_KEY|duplicate primary key`],
  ['consent', String.raw`compliance state|OPERATIONS_FOR_CUSTOMER_MATCH_NOT_ALLOWED`],
  ['event_too_old', String.raw`EVENT_TOO_OLD|too old`],
  ['destination_config', String.raw`not_in_channel|is_archived|INVALID_(LIST_ID|RANGE|BASE_URL)|MISSING_AD_ACCOUNT`],
  [
    'transient_5xx',
    String.raw`${code(String.raw`5\d\d`)}|internal (server )?error|service unavailable|bad gateway|gateway timeout|temporarily unavailable`,
  ],
  ['network', String.raw`ETIMEDOUT|ECONNRESET|ECONNREFUSED|socket hang up|connection error`],
];
