/**
 * BigQuery's cost guard, as text: what a dry run's byte count means and when to ask before
 * running. Pure (no vscode), so the thresholds and wording are tested directly.
 */

/** BigQuery's on-demand list price per TiB scanned (US multi-region; other regions and editions differ). */
export const ON_DEMAND_USD_PER_TIB = 6.25;
const TIB = 1024 ** 4;

/** Binary units, as BigQuery's console shows them: "52.6 GB" would be wrong by 7%. */
export function bytesText(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${bytes.toLocaleString('en-US')} bytes` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

export function costText(bytes: number): string {
  const usd = (bytes / TIB) * ON_DEMAND_USD_PER_TIB;
  return usd < 0.01 ? 'under $0.01' : `about $${usd < 10 ? usd.toFixed(2) : Math.round(usd).toLocaleString('en-US')}`;
}

/**
 * The question to ask before a query that would scan `bytes`, or undefined when it is under the
 * threshold (syncLogs.bigquery.confirmBytesAbove; a negative threshold never asks).
 */
export function costQuestion(
  bytes: number,
  threshold: number,
  connectionName: string,
): { message: string; detail: string } | undefined {
  if (!(threshold >= 0) || bytes <= threshold) return undefined;
  return {
    message: `This query will scan ${bytesText(bytes)} on BigQuery ("${connectionName}"). Run it?`,
    detail:
      `${costText(bytes)} at the on-demand list price of $${ON_DEMAND_USD_PER_TIB} per TiB (a reservation or another region prices it differently). ` +
      `A filter on the table's partition column, or fewer columns, scans less. You are asked above ${bytesText(threshold)} (syncLogs.bigquery.confirmBytesAbove).`,
  };
}
