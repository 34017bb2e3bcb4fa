import type { WarehouseKind } from '../shared/connection';
import { bigquerySpec } from './bigquery/spec';
import { databricksSpec } from './databricks/spec';
import { demoSpec } from './demo/spec';
import type { KindSpec } from './kindSpec';
import { postgresSpec, redshiftSpec } from './postgres/spec';
import { snowflakeSpec } from './snowflake/spec';

/**
 * Every kind's spec, by kind. Importing this loads no adapter and no driver: each spec's `open`
 * imports its adapter on first use. esbuild.mjs reads it too, for the adapter bundles.
 */
export const KIND_SPECS: { readonly [K in WarehouseKind]: KindSpec<K> } = {
  demo: demoSpec,
  postgres: postgresSpec,
  redshift: redshiftSpec,
  snowflake: snowflakeSpec,
  bigquery: bigquerySpec,
  databricks: databricksSpec,
};

export function specOf<K extends WarehouseKind>(kind: K): KindSpec<K> {
  return KIND_SPECS[kind];
}
