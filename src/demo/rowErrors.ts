import { digits, hex, salesforceId, token, uuid } from './textHelpers';
import type { Person } from './people';
import type { DestinationSlug, OpType } from './types';

/**
 * Row failure texts per destination, written in each API's own style with the ids, e-mails
 * and values a real response embeds. `data` errors fail every attempt while the row's data
 * is what it is (so retries keep failing, as in real syncs); `transient` ones strike a
 * random share of attempts.
 */
export interface FailureContext {
  rowId: string;
  person: Person;
  op: OpType;
  /** Stable per (sync, row): ids in a data error stay the same across retries. */
  rowSeed: number;
  /** Differs per attempt: request ids, retry-after seconds. */
  attemptSeed: number;
}

export interface RowErrorTemplate {
  key: string;
  kind: 'data' | 'transient';
  ops: readonly OpType[];
  /** Relative frequency among a destination's transient errors (syncs may override). */
  weight?: number;
  /** Transient errors that come in bursts (rate limits, outages) can dominate a whole run. */
  storm?: boolean;
  /** ISO instant: the error only exists from then on (a destination change, a new validation rule). */
  since?: string;
  /**
   * For `data` errors: does this row's data trigger it? `draw` is a stable per-(row, template)
   * number in [0, 1), for errors that strike a share of rows (duplicates, deleted records).
   * A `data` error without it strikes only while a catalog `sticky` incident names it, so the
   * catalog says when it began and when it was fixed.
   */
  applies?(ctx: FailureContext, draw: number): boolean;
  text(ctx: FailureContext): string;
}

const UPSERTS: readonly OpType[] = ['added', 'changed'];
const ALL_OPS: readonly OpType[] = ['added', 'changed', 'removed'];
const EU = new Set(['DE', 'FR', 'NL', 'ES', 'IT', 'SE', 'IE', 'PL']);

const invalidProperty = (message: string, error: string, name: string): string =>
  `Property values were not valid: ${JSON.stringify([{ isValid: false, message, error, name }])}`;

/** What a proxy in front of an API returns when the upstream is down. */
export const PROXY_ERROR_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>';

export const ROW_ERRORS: Record<DestinationSlug, readonly RowErrorTemplate[]> = {
  salesforce: [
    {
      key: 'sf_invalid_email',
      kind: 'data',
      ops: UPSERTS,
      applies: (c) => c.person.emailIssue === 'malformed',
      text: (c) => `INVALID_EMAIL_ADDRESS: Email: invalid email address: ${c.person.email}`,
    },
    {
      key: 'sf_required',
      kind: 'data',
      ops: UPSERTS,
      applies: (c) => c.person.lastName === null,
      text: () => 'REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]',
    },
    {
      key: 'sf_picklist',
      kind: 'data',
      ops: UPSERTS,
      applies: (c) => c.person.countryInvalid,
      text: (c) =>
        `INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Mailing Country: bad value for restricted picklist field: ${c.person.country}`,
    },
    {
      key: 'sf_hostile',
      kind: 'data',
      ops: UPSERTS,
      applies: (c) => c.person.hostile,
      text: (c) =>
        `FIELD_CUSTOM_VALIDATION_EXCEPTION: First Name contains characters that are not allowed: ${c.person.firstName}`,
    },
    {
      key: 'sf_duplicate',
      kind: 'data',
      ops: ['added'],
      applies: (_c, draw) => draw < 0.0015,
      text: (c) =>
        `DUPLICATE_VALUE: duplicate value found: External_Id__c duplicates value on record with id: ${salesforceId('003', c.rowSeed)}`,
    },
    {
      key: 'sf_too_long',
      kind: 'data',
      ops: UPSERTS,
      applies: (_c, draw) => draw < 0.0005,
      text: (c) =>
        `STRING_TOO_LONG: Title: data value too large: ${c.person.title} / ${c.person.company} / Regional ${c.person.city} Office (max length=40)`,
    },
    {
      key: 'sf_deleted',
      kind: 'data',
      ops: ['changed', 'removed'],
      applies: (_c, draw) => draw < 0.0015,
      text: (c) => `ENTITY_IS_DELETED: entity is deleted: ${salesforceId('003', c.rowSeed)}`,
    },
    {
      // An admin activated a Flow mid-month; Salesforce's text matches no usual category.
      key: 'sf_flow',
      kind: 'data',
      ops: ['changed'],
      since: '2026-10-18T15:00:00Z',
      applies: (_c, draw) => draw < 0.015,
      text: (c) =>
        `CANNOT_EXECUTE_FLOW_TRIGGER: We can't save this record because the “Contact - Sync Owner to Account” process failed. ` +
        `Give your Salesforce admin these details. This error occurred when the flow tried to update records: ` +
        `Owner ${salesforceId('005', c.rowSeed)} is inactive. Error ID: ${digits(c.rowSeed, 10)}-${digits(c.rowSeed ^ 7, 5)} (${-Number(digits(c.rowSeed ^ 9, 9))})`,
    },
    {
      key: 'sf_lock',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 5,
      storm: true,
      text: (c) =>
        `UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record or 1 records: ${salesforceId('001', c.attemptSeed)}`,
    },
    {
      key: 'sf_request_limit',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 1,
      storm: true,
      text: () => 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.',
    },
    {
      key: 'sf_503',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 1,
      text: () => '503 Service Unavailable: Salesforce is down for maintenance. Please try again later.',
    },
    { key: 'sf_reset', kind: 'transient', ops: ALL_OPS, weight: 1, text: () => 'read ECONNRESET' },
    {
      // A bug on the sync side, not the destination's: nothing categorises it.
      key: 'sf_undefined',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 0.15,
      text: () => "Cannot read properties of undefined (reading 'id')",
    },
  ],
  hubspot: [
    {
      key: 'hs_exists',
      kind: 'data',
      ops: ['added'],
      applies: (_c, draw) => draw < 0.001,
      text: (c) => `Contact already exists. Existing ID: ${10000 + (c.rowSeed % 90000000)}`,
    },
    {
      key: 'hs_invalid_email',
      kind: 'data',
      ops: UPSERTS,
      applies: (c) => c.person.emailIssue !== 'none',
      text: (c) => invalidProperty(`Email address ${c.person.email} is invalid`, 'INVALID_EMAIL', 'email'),
    },
    {
      key: 'hs_hostile',
      kind: 'data',
      ops: UPSERTS,
      applies: (c) => c.person.hostile,
      text: (c) =>
        invalidProperty(
          `${c.person.firstName} was not a valid value for firstname: HTML is not allowed`,
          'INVALID_OPTION',
          'firstname',
        ),
    },
    {
      // Someone removed a lifecycle stage option in HubSpot on the 12th.
      key: 'hs_lifecycle',
      kind: 'data',
      ops: UPSERTS,
      since: '2026-10-12T09:30:00Z',
      applies: (_c, draw) => draw < 0.008,
      text: () =>
        invalidProperty(
          '"marketingqualifiedlead" was not one of the allowed options: [subscriber, lead, salesqualifiedlead, opportunity, customer, evangelist, other]',
          'INVALID_OPTION',
          'lifecyclestage',
        ),
    },
    {
      // An admin turned Persona into a calculated property on the 31st (a `sticky` incident).
      key: 'hs_persona_readonly',
      kind: 'data',
      ops: UPSERTS,
      text: (c) =>
        `READ_ONLY_VALUE: {"status":"error","message":"hs_persona is a calculated property and cannot be set by an integration","correlationId":"${uuid(c.attemptSeed)}","category":"VALIDATION_ERROR"}`,
    },
    {
      key: 'hs_not_found',
      kind: 'data',
      ops: ['changed', 'removed'],
      applies: (_c, draw) => draw < 0.0015,
      text: (c) => `resource not found: contact ${10000 + (c.rowSeed % 90000000)} does not exist`,
    },
    {
      key: 'hs_429',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 5,
      storm: true,
      text: (c) =>
        `429 Too Many Requests: {"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","correlationId":"${uuid(c.attemptSeed)}","policyName":"SECONDLY"}`,
    },
    { key: 'hs_502', kind: 'transient', ops: ALL_OPS, weight: 0.6, text: () => PROXY_ERROR_PAGE },
    {
      key: 'hs_timeout',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 1,
      text: (c) => `connect ETIMEDOUT 104.18.${c.attemptSeed % 256}.${(c.attemptSeed >>> 8) % 256}:443`,
    },
  ],
  braze: [
    {
      key: 'bz_too_large',
      kind: 'data',
      ops: UPSERTS,
      applies: (_c, draw) => draw < 0.0003,
      text: (c) => `413 Payload Too Large: attributes object for external_id ${c.rowId} exceeds 100KB`,
    },
    {
      // A new model column was the string 'NaN' for users without purchases until the model was fixed (a `sticky` incident).
      key: 'bz_attribute_type',
      kind: 'data',
      ops: UPSERTS,
      text: () =>
        `{"message":"success","errors":[{"type":"'predicted_ltv_90d' has an invalid type: expected a number, got the string 'NaN'","input_array":"attributes","index":0}]}`,
    },
    {
      key: 'bz_429',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 5,
      storm: true,
      text: (c) =>
        `429 Too Many Requests: rate limit of 250000 requests per hour exceeded for /users/track (X-RateLimit-Reset: ${1790000000 + (c.attemptSeed % 9000000)})`,
    },
    {
      key: 'bz_500',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 2,
      storm: true,
      text: (c) =>
        `500 Internal Server Error: {"message":"Internal server error","errors":["an internal error occurred, request id ${uuid(c.attemptSeed)}"]}`,
    },
    {
      key: 'bz_undefined',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 0.2,
      text: () => "Cannot read properties of undefined (reading 'id')",
    },
    { key: 'bz_fetch', kind: 'transient', ops: ALL_OPS, weight: 0.3, text: () => 'TypeError: fetch failed' },
  ],
  facebook_custom_audiences: [
    {
      key: 'fb_missing_ids',
      kind: 'data',
      ops: ['added'],
      applies: (c) => c.person.emailIssue !== 'none' && c.person.phone === null,
      text: () => 'MISSING_USER_IDS: (#100) None of the identifiers for this row (EMAIL, PHONE) could be normalized',
    },
    {
      key: 'fb_80003',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 5,
      storm: true,
      text: () =>
        '(#80003) There have been too many calls to this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
    },
    {
      key: 'fb_2',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 2,
      storm: true,
      text: (c) => `(#2) Service temporarily unavailable (fbtrace_id: A${token(c.attemptSeed, 22)})`,
    },
    {
      key: 'fb_613',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 1,
      text: () => '(#613) Calls to this api have exceeded the rate limit.',
    },
    { key: 'fb_json', kind: 'transient', ops: ALL_OPS, weight: 0.2, text: () => 'Unexpected end of JSON input' },
  ],
  google_ads: [
    {
      key: 'ga_invalid_email',
      kind: 'data',
      ops: ['added'],
      applies: (c) => c.person.emailIssue === 'malformed',
      text: (c) =>
        `INVALID_ARGUMENT: Request contains an invalid argument. field_path: operations[${c.rowSeed % 1000}].create.user_identifiers[0].hashed_email`,
    },
    {
      // Consent for EU users became mandatory on the 15th: a new category from then on.
      key: 'ga_consent',
      kind: 'data',
      ops: UPSERTS,
      since: '2026-10-15T00:00:00Z',
      applies: (c, draw) => EU.has(c.person.country) && draw < 0.05,
      text: () =>
        'OPERATIONS_FOR_CUSTOMER_MATCH_NOT_ALLOWED: Customer Match operations are not allowed for this user: consent for ad_user_data is not granted (customer_id 482-193-5521).',
    },
    {
      key: 'ga_exhausted',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 4,
      storm: true,
      text: (c) => `RESOURCE_EXHAUSTED: Too many requests. Retry in ${30 + (c.attemptSeed % 90)} seconds.`,
    },
    {
      key: 'ga_concurrent',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 3,
      text: () =>
        'CONCURRENT_MODIFICATION: Multiple requests were attempting to modify the same resource at once. Retry the request.',
    },
    {
      key: 'ga_internal',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 1,
      text: (c) =>
        `INTERNAL_ERROR: An internal error has occurred. Please retry your request. (request_id: ${token(c.attemptSeed, 22)})`,
    },
  ],
  iterable: [
    {
      key: 'it_invalid_email',
      kind: 'data',
      ops: UPSERTS,
      applies: (c) => c.person.emailIssue !== 'none',
      text: (c) => `{"msg":"Invalid email: ${c.person.email}","code":"InvalidEmailAddressError","params":null}`,
    },
    {
      key: 'it_429',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 4,
      storm: true,
      text: (c) => `429: Rate limit exceeded for API key ****${hex(c.attemptSeed, 4)}: 500 requests per second`,
    },
    {
      // A new SMS channel wants E.164 numbers (a `sticky` incident).
      key: 'it_phone_format',
      kind: 'data',
      ops: UPSERTS,
      text: (c) =>
        `400 Bad Request: invalid value for phoneNumber: the Onboarding SMS channel requires E.164 format (email ${c.person.email})`,
    },
    { key: 'it_socket', kind: 'transient', ops: ALL_OPS, weight: 1, text: () => 'socket hang up' },
    {
      // A CDN put in front of the API on the 20th answers with HTML now and then.
      key: 'it_json',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 1.5,
      since: '2026-10-20T11:00:00Z',
      text: () => 'Unexpected token < in JSON at position 0',
    },
    {
      key: 'it_proxy',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 0.4,
      since: '2026-10-20T11:00:00Z',
      storm: true,
      text: () => PROXY_ERROR_PAGE,
    },
  ],
  marketo: [
    {
      key: 'mk_country',
      kind: 'data',
      ops: UPSERTS,
      applies: (c) => c.person.countryInvalid,
      text: (c) => `1003: Invalid value for field 'Country': '${c.person.country}'`,
    },
    {
      key: 'mk_exists',
      kind: 'data',
      ops: ['added'],
      applies: (_c, draw) => draw < 0.002,
      text: () => '1005: Lead already exists',
    },
    {
      key: 'mk_multiple',
      kind: 'data',
      ops: UPSERTS,
      applies: (_c, draw) => draw < 0.002,
      text: (c) => `1007: Multiple leads match the lookup criteria (email ${c.person.email})`,
    },
    {
      key: 'mk_not_found',
      kind: 'data',
      ops: ['changed', 'removed'],
      applies: (_c, draw) => draw < 0.0015,
      text: (c) => `1004: Lead not found (id ${2000000 + (c.rowSeed % 900000)})`,
    },
    {
      // A marketing-ops admin deleted a custom field on the 24th: schema drift in row errors.
      key: 'mk_field',
      kind: 'data',
      ops: ['changed'],
      since: '2026-10-24T16:00:00Z',
      applies: (_c, draw) => draw < 0.2,
      text: () => "1006: Field 'Lead_Score__c' not found",
    },
    {
      key: 'mk_606',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 4,
      storm: true,
      text: () => "606: Max rate limit '100' exceeded with in '20' secs",
    },
    { key: 'mk_615', kind: 'transient', ops: ALL_OPS, weight: 2, text: () => '615: Concurrent access limit reached' },
    { key: 'mk_604', kind: 'transient', ops: ALL_OPS, weight: 0.5, text: () => '604: Request timed out' },
  ],
  mailchimp: [
    {
      key: 'mc_fake',
      kind: 'data',
      ops: UPSERTS,
      applies: (c) => c.person.emailIssue !== 'none',
      text: (c) => `${c.person.email} looks fake or invalid, please enter a real email address.`,
    },
    {
      key: 'mc_member',
      kind: 'data',
      ops: ['added'],
      applies: (_c, draw) => draw < 0.003,
      text: (c) => `${c.person.email} is already a list member. Use PUT to insert or update list members.`,
    },
    {
      key: 'mc_deleted',
      kind: 'data',
      ops: ['added'],
      applies: (c) => c.person.deleted,
      text: (c) =>
        `${c.person.email} was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.`,
    },
    {
      key: 'mc_compliance',
      kind: 'data',
      ops: UPSERTS,
      applies: (c) => c.person.unsubscribed,
      text: (c) =>
        `${c.person.email} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.`,
    },
    {
      key: 'mc_merge',
      kind: 'data',
      ops: UPSERTS,
      applies: (c) => c.person.lastName === null,
      text: () => 'Your merge fields were invalid. Please enter a value for LNAME',
    },
    {
      key: 'mc_429',
      kind: 'transient',
      ops: ALL_OPS,
      weight: 3,
      storm: true,
      text: () => '429 Too Many Requests: You have exceeded the limit of 10 simultaneous connections.',
    },
    { key: 'mc_503', kind: 'transient', ops: ALL_OPS, weight: 1, text: () => '503 Service Unavailable' },
  ],
};
