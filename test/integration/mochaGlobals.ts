import Mocha from 'mocha';

/**
 * The one Mocha instance of the integration run. Creating it here, in a module that index.ts
 * imports before the suites, defines describe/it/before/after on globalThis before the bundled
 * suites run their top-level describe() calls.
 */
export const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'integration', mocha);
