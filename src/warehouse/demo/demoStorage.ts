import { rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the embedded demo keeps its PGlite data directory and build marker. */
export function demoPaths(storageDir: string): { dataDir: string; versionFile: string; lockFile: string } {
  return {
    dataDir: join(storageDir, 'demo-pglite'),
    versionFile: join(storageDir, 'demo-version.json'),
    lockFile: join(storageDir, 'demo-pglite.lock'),
  };
}

/** Removes the built demo so the next open rebuilds it. The marker goes first: a half-deleted dir is never trusted. */
export async function deleteDemoData(storageDir: string): Promise<void> {
  const { dataDir, versionFile } = demoPaths(storageDir);
  await rm(versionFile, { force: true });
  await rm(dataDir, { recursive: true, force: true });
}
