import { validateIdent } from '../../sql/ident';
import { checked, lower, SCHEMA_FIELD, type KindSpec } from '../kindSpec';

export const databricksSpec: KindSpec<'databricks'> = {
  kind: 'databricks',
  label: 'Databricks SQL',
  authMethods: ['personalAccessToken', 'oauthToken'],
  fields: [
    { key: 'host', prompt: 'Server hostname', placeholder: 'dbc-a1b2c3d4-e5f6.cloud.databricks.com' },
    { key: 'httpPath', prompt: 'HTTP path of the SQL warehouse', placeholder: '/sql/1.0/warehouses/abc123' },
    {
      key: 'database',
      prompt: 'Catalog (empty: the workspace default)',
      placeholder: 'main',
      optional: true,
      validate: checked((v) => validateIdent(v, 'catalog')),
    },
    { ...SCHEMA_FIELD, validate: checked((v) => validateIdent(v, 'schema')) },
  ],
  required: [
    ['host', 'the server hostname'],
    ['httpPath', 'the SQL warehouse HTTP path'],
  ],
  defaultPort: 443,
  qualifiesTables: true,
  bundle: { entry: 'databricks/databricksWarehouse' },
  describe: (c) => `${c.host ?? '?'}${c.database ? ` · ${c.database}` : ''}`,
  describeTarget: (c) => `Databricks host ${c.host ?? '?'}${c.port ? `:${c.port}` : ''}`,
  identity: (c) => JSON.stringify(['databricks', lower(c.host), c.port ?? 443]),
  async open(settings, secrets, ctx) {
    const { openDatabricksWarehouse } = await import('./databricksWarehouse');
    return openDatabricksWarehouse(
      {
        host: settings.host ?? '',
        port: settings.port,
        path: settings.httpPath ?? '',
        auth: (settings.auth ?? 'personalAccessToken') as 'personalAccessToken' | 'oauthToken',
        token: secrets.token ?? '',
        catalog: settings.database,
        schema: settings.schema,
      },
      { statementTimeoutMs: ctx.statementTimeoutMs },
    );
  },
};
