import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { collectConnection, validateField } from '../../src/connections/connectionForm';
import { FIELDS } from '../../src/warehouse/connectionKinds';
import { scriptedPrompter } from '../support/scriptedPrompter';

const field = (kind: keyof typeof FIELDS, key: string) => FIELDS[kind].find((f) => f.key === key)!;

describe('collectConnection', () => {
  it('walks a Postgres connection: fields with defaults, SSL, password; the default schema is not written out', async () => {
    const p = scriptedPrompter([
      { expect: /pick: Add Sync Logs Connection/, answer: 'PostgreSQL' },
      { expect: /A name for this connection/, answer: 'Local PG' },
      { expect: /\| Host$/, answer: '127.0.0.1' },
      { expect: /\| Port$/, answer: '55432' },
      { expect: /\| Database$/, answer: 'analytics' },
      { expect: /\| User$/, answer: 'reader' },
      { expect: /pick: .*TLS mode/, answer: 'disable' },
      { expect: /Schema/, answer: 'hightouch_audit' },
      { expect: /Password.*secret storage/, answer: 's3cret-pw' },
    ]);
    const form = await collectConnection(p, { takenNames: [] });
    assert.deepEqual(form, {
      settings: {
        name: 'Local PG',
        kind: 'postgres',
        host: '127.0.0.1',
        port: 55432,
        database: 'analytics',
        user: 'reader',
        ssl: 'disable',
      },
      secrets: { password: 's3cret-pw' },
    });
    assert.equal(p.remaining.length, 0);
  });

  it('asks Snowflake for its auth method and reads a key pair from a file', async () => {
    const p = scriptedPrompter(
      [
        { expect: /pick: Add Sync Logs Connection/, answer: 'Snowflake' },
        { expect: /name/, answer: 'SF' },
        { expect: /Account identifier/, answer: 'myorg-acct' },
        { expect: /User/, answer: 'LOADER' },
        { expect: /Virtual warehouse/, answer: '' },
        { expect: /Role/, answer: 'ANALYST' },
        { expect: /Database/, answer: 'ANALYTICS' },
        { expect: /Schema/, answer: 'hightouch_audit' },
        { expect: /pick: .*sign in/, answer: 'Key pair (private key file)' },
        { expect: /file: Private key file/, answer: 'key.p8' },
        { expect: /Passphrase/, answer: '' },
      ],
      { 'key.p8': '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n' },
    );
    const form = await collectConnection(p, { takenNames: [] });
    assert.deepEqual(form?.settings, {
      name: 'SF',
      kind: 'snowflake',
      account: 'myorg-acct',
      user: 'LOADER',
      role: 'ANALYST',
      database: 'ANALYTICS',
      auth: 'keyPair',
    });
    assert.deepEqual(Object.keys(form?.secrets ?? {}), ['privateKey']);
  });

  it('editing keeps stored secrets when the answer is empty, and a stored key file when asked to', async () => {
    const p = scriptedPrompter([
      { expect: /name/, answer: 'BQ' },
      { expect: /Project holding/, answer: 'my-project' },
      { expect: /Project that runs/, answer: '' },
      { expect: /Location/, answer: 'EU' },
      { expect: /Dataset/, answer: 'hightouch_audit' },
      { expect: /pick: .*sign in/, answer: 'Service-account key file (JSON)' },
      { expect: /pick: .*Service-account key file/, answer: 'Keep the stored key' },
    ]);
    const initial = {
      name: 'BQ',
      kind: 'bigquery' as const,
      database: 'my-project',
      auth: 'serviceAccountKey' as const,
    };
    const form = await collectConnection(p, {
      takenNames: [],
      initial,
      kind: 'bigquery',
      knownSecrets: () => new Set(['serviceAccountKey'] as const),
    });
    assert.deepEqual(form, {
      settings: { name: 'BQ', kind: 'bigquery', database: 'my-project', location: 'EU', auth: 'serviceAccountKey' },
      secrets: {},
    });
  });

  it('stops when the user cancels, and refuses a name in use', async () => {
    assert.equal(
      await collectConnection(scriptedPrompter([{ expect: /pick/, answer: undefined }]), { takenNames: [] }),
      undefined,
    );
    const p = scriptedPrompter([
      { expect: /pick/, answer: 'Databricks SQL' },
      { expect: /name/, answer: 'Prod' },
    ]);
    await assert.rejects(collectConnection(p, { takenNames: ['Prod'] }), /"Prod" is already used/);
  });
});

describe('validateField', () => {
  it('says what is wrong with a value, and accepts good ones', () => {
    assert.match(validateField(field('postgres', 'port'), '99999') ?? '', /1 to 65535/);
    assert.equal(validateField(field('postgres', 'port'), '5432'), undefined);
    assert.match(
      validateField(field('databricks', 'host'), 'https://dbc.cloud.databricks.com') ?? '',
      /without https:\/\//,
    );
    assert.match(validateField(field('databricks', 'httpPath'), 'sql/1.0/warehouses/x') ?? '', /starts with "\/"/);
    assert.match(validateField(field('bigquery', 'database'), 'My_Project') ?? '', /Invalid BigQuery project/);
    assert.match(validateField(field('postgres', 'schema'), 'bad-name') ?? '', /Invalid schema/);
    assert.equal(validateField(field('snowflake', 'warehouse'), ''), undefined, 'optional fields may stay empty');
    assert.match(validateField(field('snowflake', 'account'), ' ') ?? '', /required/);
  });
});
