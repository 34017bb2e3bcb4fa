import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CATEGORIES, categorize, compileCategories } from '../../src/analysis/errorCategories';
import { UNEXPECTED } from '../../src/shared/analysisData';

// Every default category on real-looking failure texts, in each destination's own wording (the
// demo's texts, src/demo/rowErrors.ts, and the vendors' documented errors: see ARCHITECTURE.md,
// "Default error categories"): texts it must catch, and texts it must leave to another category
// or to unexpected. The first match wins, so a case passes only if the whole order is right.

const { compiled } = compileCategories(DEFAULT_CATEGORIES);
const UUID_WITH_429 = '9b72ef32-19f4-4429-a7ac-429c32d83f7c';

/** category -> texts that must land in it. */
const CATCH: Record<string, string[]> = {
  rate_limit: [
    '429 Too Many Requests: {"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","correlationId":"9b72ef32-19f4-47dc-a7ac-69c32d83f7cd","policyName":"SECONDLY"}', // HubSpot
    '429 Too Many Requests: rate limit of 250000 requests per hour exceeded for /users/track (X-RateLimit-Reset: 1790123456)', // Braze
    '429: Rate limit exceeded for API key ****015a: 500 requests per second', // Iterable
    "606: Max rate limit '100' exceeded with in '20' secs", // Marketo
    'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.', // Salesforce
    'RESOURCE_EXHAUSTED: Too many requests. Retry in 45 seconds.', // Google Ads
    '429 Too Many Requests: You have exceeded the limit of 10 simultaneous connections.', // Mailchimp
    'Request failed with status code 429', // webhook
    'HTTP 429', // webhook
    '{"error":{"code":429,"message":"Quota exceeded for quota metric"}}',
    'Zendesk API: Rate limited, retry after 60 seconds', // Zendesk
  ],
  daily_quota: [
    '607: Daily quota reached',
    'Daily limit of 10000 API calls reached for this account',
    'Quota exceeded for this project',
  ],
  ad_account_throttle: [
    '(#80003) There have been too many calls to this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
    '(#80000) There have been too many calls from this ad-account.',
    '(#613) Calls to this api have exceeded the rate limit.', // Facebook's custom-audience throttle
  ],
  auth_expired: [
    'invalid_grant: Token has been expired or revoked.', // Google
    'INVALID_SESSION_ID: Session expired or invalid', // Salesforce
    '601: Access token invalid', // Marketo
    '602: Access token expired', // Marketo
    '401 Unauthorized', // webhook
    'EXPIRED_AUTHENTICATION: The OAuth token is expired', // HubSpot
  ],
  bad_credentials: [
    'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
    'Invalid API key',
    'Authentication failed for user hightouch',
  ],
  permission: [
    "USER_PERMISSION_DENIED: User doesn't have permission to access customer.", // Google Ads
    '403 Forbidden', // webhook
    '603: Access denied', // Marketo
    'You do not have permission to perform this action: permission denied', // Zendesk
  ],
  invalid_email: [
    'INVALID_EMAIL_ADDRESS: Email: invalid email address: hugo.martin@yahoo,com', // Salesforce
    'jane.doe@example.com looks fake or invalid, please enter a real email address.', // Mailchimp
    '{"msg":"Invalid email: amara.osei@outlook.c","code":"InvalidEmailAddressError","params":null}', // Iterable
    'Email is not a valid email address', // Braze
    'Property values were not valid: [{"isValid":false,"message":"Email address x@y is invalid","error":"INVALID_EMAIL","name":"email"}]', // HubSpot: the code beats the wrapper
  ],
  required_missing: [
    'REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]', // Salesforce
    '1002: Missing value for required parameter', // Marketo
    'Requester email cannot be blank', // Zendesk
  ],
  invalid_value: [
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Mailing Country: bad value for restricted picklist field: Atlantis', // Salesforce
    'STRING_TOO_LONG: Title: data value too large: Senior Vice President of Everything (max length=40)', // Salesforce
    'Property values were not valid: [{"isValid":false,"message":"x was not one of the allowed options","error":"INVALID_OPTION","name":"lifecyclestage"}]', // HubSpot
    "1003: Invalid value for field 'Country': 'Atlantis'", // Marketo
    'INVALID_ARGUMENT: Request contains an invalid argument. field_path: operations[581].create.user_identifiers[0].hashed_email', // Google Ads
  ],
  validation_rule: ['FIELD_CUSTOM_VALIDATION_EXCEPTION: First Name contains characters that are not allowed: <script>'],
  duplicate: [
    'DUPLICATE_VALUE: duplicate value found: External_Id__c duplicates value on record with id: 0035e00000AbCdEfG', // Salesforce
    'Contact already exists. Existing ID: 51234', // HubSpot
    '1005: Lead already exists', // Marketo
    '1007: Multiple leads match the lookup criteria (email a@b.c)', // Marketo
    'jane.doe@example.com is already a list member. Use PUT to insert or update list members.', // Mailchimp
    '409 Conflict', // webhook
  ],
  schema_drift: [
    "1006: Field 'Lead_Score__c' not found", // Marketo: the demo's Oct 24 incident
    "INVALID_FIELD: No such column 'Lead_Score__c' on entity 'Contact'", // Salesforce
    'PROPERTY_DOESNT_EXIST: Property "lead_score" does not exist', // HubSpot
    'QUERY_COLUMN_MISSING: column "email" is missing from the model query', // Hightouch
    'WAREHOUSE_TABLE_MISSING: relation "analytics.customers" does not exist', // Hightouch
    'Field "plan_tier" not found in the event schema', // webhook
  ],
  not_found: [
    'ENTITY_IS_DELETED: entity is deleted: 0035e00000AbCdEfG', // Salesforce
    'resource not found: contact 51234 does not exist', // HubSpot
    '1004: Lead not found (id 2345678)', // Marketo
    '404 Not Found', // webhook
    'INVALID_CROSS_REFERENCE_KEY: invalid cross reference id', // Salesforce
    'RecordNotFound: Not found', // Zendesk
  ],
  record_locked: [
    'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record or 1 records: 0015e0000kw8AkIRcu', // Salesforce
    'CONCURRENT_MODIFICATION: Multiple requests were attempting to modify the same resource at once. Retry the request.', // Google Ads
    '615: Concurrent access limit reached', // Marketo
  ],
  too_large: [
    '413 Payload Too Large: attributes object for external_id u_123 exceeds 100KB',
    'UserDataError.TOO_MANY_USER_IDENTIFIERS: Too many user identifiers in one operation',
  ],
  missing_identifier: [
    'MISSING_USER_IDS: (#100) None of the identifiers for this row (EMAIL, PHONE) could be normalized',
    'NULL_EXTERNAL_ID: External ID was blank for Email__c',
  ],
  duplicate_pk: ["DUPLICATE_PRIMARY_KEY: primary key 'u_123' appears 2 times in the model query"],
  consent: [
    'OPERATIONS_FOR_CUSTOMER_MATCH_NOT_ALLOWED: Customer Match operations are not allowed for this user: consent for ad_user_data is not granted (customer_id 482-193-5521).',
    'jane@example.com is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.', // Mailchimp
  ],
  event_too_old: ['EVENT_TOO_OLD: event timestamp is more than 7 days in the past'],
  destination_config: ['not_in_channel', 'INVALID_LIST_ID: list 42 does not belong to this account', 'is_archived'],
  transient_5xx: [
    '500 Internal Server Error: {"message":"Internal server error","errors":["an internal error occurred, request id 9b72ef32-19f4-47dc-a7ac-69c32d83f7cd"]}', // Braze
    '503 Service Unavailable: Salesforce is down for maintenance. Please try again later.', // Salesforce
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>',
    '(#2) Service temporarily unavailable (fbtrace_id: AbCdEfGhIjKlMnOpQrStUvW)', // Facebook
    'INTERNAL_ERROR: An internal error has occurred. Please retry your request. (request_id: AbCdEfGhIjKlMnOpQrStUv)', // Google Ads
    'Request failed with status code 504', // webhook
  ],
  network: [
    'read ECONNRESET',
    'connect ETIMEDOUT 104.18.42.9:443',
    'socket hang up',
    'connect ECONNREFUSED 10.0.0.12:5432',
  ],
};

/** Texts that must not land where a careless pattern would put them: [text, where it belongs, the category it must avoid]. */
const AVOID: [text: string, want: string, not: string][] = [
  // The two misfiles found on the demo.
  ["1006: Field 'Lead_Score__c' not found", 'schema_drift', 'not_found'],
  [
    `500 Internal Server Error: {"message":"Internal server error","errors":["an internal error occurred, request id ${UUID_WITH_429}"]}`,
    'transient_5xx',
    'rate_limit',
  ],
  // Codes inside ids, hyphenated ids, decimals and record ids are not codes.
  ['503 Service Unavailable (request id req-429-7f3a)', 'transient_5xx', 'rate_limit'],
  ['Lead 0035e0000429AbCd could not be synced: service unavailable', 'transient_5xx', 'rate_limit'],
  ['Upstream took 1.429 seconds: gateway timeout', 'transient_5xx', 'rate_limit'],
  [
    'OPERATIONS_FOR_CUSTOMER_MATCH_NOT_ALLOWED: consent not granted (customer_id 401-403-4040)',
    'consent',
    'auth_expired',
  ],
  ['Contact 51234 not found', 'not_found', 'schema_drift'],
  ['Order ORD-404-1 could not be processed', UNEXPECTED, 'not_found'],
  ['Batch 6060 rejected: Unknown error', UNEXPECTED, 'rate_limit'],
  ['Shipment 1.500 kg over the limit', UNEXPECTED, 'transient_5xx'],
  ['Ticket #50012 is closed', UNEXPECTED, 'transient_5xx'],
  // A field named in one place and a record missing in another is not drift.
  ["Field 'Email' is invalid; record 'u_1' not found", 'not_found', 'schema_drift'],
  // Specific before generic.
  [
    '(#80003) There have been too many calls to this ad-account. See https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
    'ad_account_throttle',
    'rate_limit',
  ],
  ['409 Conflict: Contact already exists', 'duplicate', 'not_found'],
  ['429: daily limit reached for this app', 'rate_limit', 'daily_quota'],
  ['INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: OwnerId', UNEXPECTED, 'schema_drift'],
  // The demo's texts no category is meant for: they are what the Unexpected bucket is for.
  ["Cannot read properties of undefined (reading 'id')", UNEXPECTED, 'not_found'],
  [
    "CANNOT_EXECUTE_FLOW_TRIGGER: We can't save this record because the “Contact - Sync Owner to Account” process failed. Owner 0055e00000AbCdEfG is inactive. Error ID: 1029384756-19283 (-123456789)",
    UNEXPECTED,
    'transient_5xx',
  ],
  ['Unexpected token < in JSON at position 0', UNEXPECTED, 'invalid_value'],
  ['TypeError: fetch failed', UNEXPECTED, 'network'],
  ['Your merge fields were invalid. Please enter a value for LNAME', UNEXPECTED, 'invalid_value'],
];

test('every default category catches its real-looking texts from each destination', () => {
  const wrong: string[] = [];
  for (const [want, texts] of Object.entries(CATCH)) {
    for (const text of texts) {
      const got = categorize(text, compiled);
      if (got !== want) wrong.push(`${JSON.stringify(text.slice(0, 90))} -> ${got} (want ${want})`);
    }
  }
  assert.deepEqual(wrong, []);
  assert.deepEqual(
    DEFAULT_CATEGORIES.map((c) => c.name).filter((n) => !(n in CATCH)),
    [],
    'a default category without texts',
  );
});

test('texts a default must not catch land where they belong (the demo misfiles among them)', () => {
  const wrong = AVOID.filter(([text, want]) => categorize(text, compiled) !== want).map(
    ([text, want, not]) =>
      `${JSON.stringify(text.slice(0, 90))} -> ${categorize(text, compiled)} (want ${want}, not ${not})`,
  );
  assert.deepEqual(wrong, []);
  // Each "not" names a real category (a typo would make the case vacuous).
  const names = new Set([...DEFAULT_CATEGORIES.map((c) => c.name), UNEXPECTED]);
  for (const [, want, not] of AVOID) assert.ok(names.has(want) && names.has(not), `${want} / ${not}`);
});

test('each default category, alone, rejects the texts it must avoid', () => {
  // Not only the order: the pattern itself does not match the trap (codes inside ids, decimals).
  const traps: [category: string, text: string][] = [
    ['rate_limit', `request id ${UUID_WITH_429}`],
    ['rate_limit', 'request id req-429-7f3a'],
    ['rate_limit', 'took 1.429 s'],
    ['rate_limit', 'batch 6060'],
    ['transient_5xx', 'Shipment 1.500 kg'],
    ['transient_5xx', 'Ticket #50012'],
    ['transient_5xx', 'customer_id 482-500-5521'],
    ['not_found', 'Order ORD-404-1'],
    ['auth_expired', 'customer_id 401-403-4040'],
    ['schema_drift', "Field 'Email' is invalid; record 'u_1' not found"],
    ['schema_drift', 'Contact 51234 not found'],
    ['duplicate', 'row 1005a'],
  ];
  for (const [name, text] of traps) {
    const def = DEFAULT_CATEGORIES.find((c) => c.name === name)!;
    const { compiled: alone } = compileCategories([def]);
    assert.equal(categorize(text, alone), UNEXPECTED, `${name} matched ${JSON.stringify(text)}`);
  }
});
