// A short hash of a source tree (each file's path relative to it, then its contents, in path
// order). The build stamps src/demo's into the bundles, so a cached demo database is rebuilt
// whenever the generator changes, whether or not anyone remembered to bump its version; the
// benchmark keys its loaded databases on the same hash.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

export function sourceHash(dir) {
  const hash = createHash('sha256');
  for (const file of files(dir).sort())
    hash.update(relative(dir, file).split('\\').join('/')).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}
