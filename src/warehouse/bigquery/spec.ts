import { validateBigQueryProject, validateIdent } from '../../sql/ident';
import { checked, lower, SCHEMA_FIELD, type KindSpec } from '../kindSpec';

const validProject = checked(validateBigQueryProject);

export const bigquerySpec: KindSpec<'bigquery'> = {
  kind: 'bigquery',
  label: 'Google BigQuery',
  authMethods: ['serviceAccountKey', 'oauthToken', 'applicationDefault'],
  fields: [
    {
      key: 'database',
      prompt: 'Project holding the sync-log dataset',
      placeholder: 'my-project',
      validate: validProject,
    },
    {
      key: 'project',
      prompt: 'Project that runs the queries (empty: the same project)',
      optional: true,
      validate: validProject,
    },
    { key: 'location', prompt: 'Location (empty: detected by BigQuery)', placeholder: 'US', optional: true },
    {
      ...SCHEMA_FIELD,
      prompt: 'Dataset holding the sync-log tables',
      validate: checked((v) => validateIdent(v, 'dataset')),
    },
  ],
  required: [['database', 'the project holding the sync-log dataset']],
  qualifiesTables: true,
  bundle: { entry: 'bigquery/bigqueryWarehouse' },
  describe: (c) => `${c.database ?? c.project ?? '?'}${c.location ? ` (${c.location})` : ''}`,
  describeTarget: (c) =>
    `BigQuery project ${c.project || c.database || '?'}${c.endpoint ? ` through ${c.endpoint}` : ''}`,
  identity: (c) => JSON.stringify(['bigquery', lower(c.endpoint), (c.project || c.database || '').trim()]),
  async open(settings, secrets, ctx) {
    const { openBigQueryWarehouse } = await import('./bigqueryWarehouse');
    return openBigQueryWarehouse(
      {
        projectId: settings.project || settings.database || '',
        location: settings.location,
        auth: (settings.auth ?? 'serviceAccountKey') as 'serviceAccountKey' | 'oauthToken' | 'applicationDefault',
        serviceAccountKey: secrets.serviceAccountKey,
        token: secrets.token,
        apiEndpoint: settings.endpoint,
      },
      { statementTimeoutMs: ctx.statementTimeoutMs, maximumBytesBilled: ctx.maximumBytesBilled },
    );
  },
};
