import { validateIdent } from '../../sql/ident';
import { checked, lower, SCHEMA_FIELD, type KindSpec } from '../kindSpec';

export const snowflakeSpec: KindSpec<'snowflake'> = {
  kind: 'snowflake',
  label: 'Snowflake',
  authMethods: ['password', 'keyPair', 'oauthToken'],
  fields: [
    { key: 'account', prompt: 'Account identifier', placeholder: 'myorg-myaccount' },
    { key: 'user', prompt: 'User' },
    { key: 'warehouse', prompt: "Virtual warehouse (empty: the user's default)", optional: true },
    { key: 'role', prompt: "Role (empty: the user's default)", optional: true },
    {
      key: 'database',
      prompt: 'Database holding the sync logs',
      placeholder: 'ANALYTICS',
      validate: checked((v) => validateIdent(v, 'database')),
    },
    { ...SCHEMA_FIELD, validate: checked((v) => validateIdent(v, 'schema')) },
  ],
  required: [
    ['account', 'the account identifier (e.g. myorg-myaccount)'],
    ['user', 'the user name'],
  ],
  qualifiesTables: true,
  bundle: { entry: 'snowflake/snowflakeWarehouse' },
  describe: (c) => `${c.user ?? '?'}@${c.account ?? '?'}${c.database ? ` · ${c.database}` : ''}`,
  describeTarget: (c) =>
    `${c.user ? `user ${c.user} at ` : ''}Snowflake account ${c.account ?? '?'}${c.endpoint ? ` through ${c.endpoint}` : ''}`,
  identity: (c) => JSON.stringify(['snowflake', lower(c.account), lower(c.user), lower(c.endpoint)]),
  async open(settings, secrets, ctx) {
    const { openSnowflakeWarehouse } = await import('./snowflakeWarehouse');
    return openSnowflakeWarehouse(
      {
        account: settings.account ?? '',
        username: settings.user ?? '',
        auth: (settings.auth ?? 'password') as 'password' | 'keyPair' | 'oauthToken',
        password: secrets.password,
        privateKey: secrets.privateKey,
        privateKeyPassphrase: secrets.privateKeyPassphrase,
        token: secrets.token,
        warehouse: settings.warehouse,
        role: settings.role,
        database: settings.database,
        accessUrl: settings.endpoint,
      },
      { statementTimeoutMs: ctx.statementTimeoutMs },
    );
  },
};
