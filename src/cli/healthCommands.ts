import type { QueryRunner } from '../loaders/queryRunner';
import { loadRunExplained } from '../loaders/runExplainedLoader';
import { loadHealth } from '../loaders/healthLoader';
import type { AnalysisCommand } from './analysisArgs';
import type { AnalysisIo, HealthLoaders } from './analysisIo';
import { healthRecords, RECORD_COLUMNS, runRecords, runReport, type CliRecord } from './analysisRecords';
import { trippedChecks, trippedLine } from './healthCheck';
import { jsonValueText } from './format';
import { messageSafe } from './terminalText';

export const EXIT_CHECK_TRIPPED = 1;

/** health, run and check: on the loaders handed in (src/loaders/healthLoader.ts, runExplainedLoader.ts). */
export async function runHealthCommand(
  command: AnalysisCommand,
  run: QueryRunner,
  io: AnalysisIo,
  loaders: HealthLoaders,
  write: (records: readonly CliRecord[], columns: readonly string[]) => Promise<void>,
): Promise<number> {
  if (command.name === 'run') {
    const data = await (loaders.loadRunExplained ?? loadRunExplained)(run, command.id!);
    if (!data) throw new Error(`No run "${command.id}" in the sync log.`);
    if (command.format === 'json') await io.stdout(jsonValueText(runReport(data)));
    else await write(runRecords(data), RECORD_COLUMNS.run);
    return 0;
  }
  const data = await (loaders.loadHealth ?? loadHealth)(run, {
    days: command.days,
    minFailures: command.minFailures,
    now: new Date(),
  });
  if (command.name === 'health') {
    await write(healthRecords(data), RECORD_COLUMNS.health);
    return 0;
  }
  if (command.syncId !== null && !data.syncs.some((s) => s.syncId === command.syncId))
    throw new Error(`No sync "${command.syncId}" in the sync log.`);
  const tripped = trippedChecks(data, command.limits ?? {}, command.syncId);
  for (const t of tripped) await io.stdout(`${messageSafe(trippedLine(t))}\n`);
  if (tripped.length === 0)
    io.stderr(
      `synclogs: every check holds (${command.syncId === null ? `${data.syncs.length} syncs` : `sync ${messageSafe(command.syncId)}`}).\n`,
    );
  return tripped.length ? EXIT_CHECK_TRIPPED : 0;
}
