import { PROXY_ERROR_PAGE } from './rowErrors';
import { digits, token, uuid } from './textHelpers';
import type { DestinationSlug } from './types';

/**
 * Sync-level errors (`sync_runs.error`). Planning errors stop a run before any operation;
 * midway errors stop it after part of the plan was attempted (the rest is `aborted`).
 */
type RunErrorText = (h: number) => string;

/** The warehouse side fails the same way whatever the destination; `slow` ones fail only after a long wait. */
export const WAREHOUSE_PLANNING_ERRORS: ReadonlyArray<{ text: RunErrorText; slow?: boolean }> = [
  { text: () => "SQL compilation error: Object 'ANALYTICS.MARTS.DIM_CUSTOMERS' does not exist or not authorized." },
  {
    text: (h) =>
      `Statement reached its statement or warehouse timeout and was canceled (query id 01b${token(h, 5).toLowerCase()}-0000-${digits(h, 4)}-0000-${digits(h ^ 3, 12)}).`,
    slow: true,
  },
  {
    text: (h) =>
      `DUPLICATE_PRIMARY_KEY: ${2 + (h % 5)} rows in the model query results share the primary key value '${digits(h, 7)}'`,
  },
  {
    text: () =>
      'Warehouse connection error: could not connect to server: Connection timed out. Is the server running on host "warehouse.internal" and accepting TCP/IP connections on port 5432?',
    slow: true,
  },
];

/** Credential expiry shows up as a streak of failed runs until someone reconnects. */
export const AUTH_ERRORS: Record<DestinationSlug, RunErrorText> = {
  salesforce: () => 'INVALID_SESSION_ID: Session expired or invalid',
  hubspot: (h) => `EXPIRED_AUTHENTICATION: The OAuth token used to make this call expired ${1 + (h % 9)} hour(s) ago.`,
  braze: () => '401 Unauthorized: Invalid API key: ****3f9a',
  facebook_custom_audiences: () =>
    '(#190) Error validating access token: Session has expired on Sunday, 18-Oct-26 09:00:00 PDT.',
  google_ads: () => 'invalid_grant: Token has been expired or revoked.',
  iterable: () => '401: Invalid API key',
  marketo: () => '601: Access token invalid',
  mailchimp: () => "API Key Invalid: Your API key may be invalid, or you've attempted to access the wrong datacenter.",
};

export const SCHEMA_DRIFT_ERROR = 'QUERY_COLUMN_MISSING: column "email" not found in model query results';

export const MIDWAY_ERRORS: Record<DestinationSlug, readonly RunErrorText[]> = {
  salesforce: [
    () => 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.',
    (h) => `Bulk API job 7505e000004${token(h, 7)} failed: InternalServerError`,
  ],
  hubspot: [() => '429 Too Many Requests: You have reached your daily limit.'],
  braze: [() => 'ECONNRESET: socket hang up', (h) => `503 Service Unavailable (request id ${uuid(h)})`],
  facebook_custom_audiences: [
    () => '(#80003) There have been too many calls to this ad-account. Wait a bit and try again.',
  ],
  google_ads: [() => 'Sync run exceeded its maximum duration of 2 hours and was stopped.'],
  iterable: [() => `Unexpected response from api.iterable.com (502): ${PROXY_ERROR_PAGE}`],
  marketo: [() => '607: Daily quota reached'],
  mailchimp: [(h) => `Batch operation ${token(h, 10).toLowerCase()} failed: Request timed out`],
};

export const cancelledBy = (email: string): string => `Sync run cancelled by ${email}`;
